using XSend.Cli.Commands;

namespace XSend.Tests.Cli;

/// <summary>docs/xsend.1 is generated from the command tree and must match it (regenerate with: xsend man > docs/xsend.1).</summary>
public class ManPageTests
{
    [Fact]
    public void The_committed_man_page_matches_the_options()
    {
        string? page = null;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null && page is null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "docs", "xsend.1");
            if (File.Exists(candidate))
                page = File.ReadAllText(candidate);
        }

        string rendered = ManPage.Render(CliHarness.CommandTree());

        Assert.NotNull(page);
        Assert.Equal(rendered, page);
        foreach (string option in new[] { "\\-\\-timeout", "\\-\\-room", "\\-\\-wait\\-receipt", "\\-\\-line\\-mode" })
            Assert.Contains(option, rendered);
        Assert.Contains(".B 81", rendered);
    }
}
