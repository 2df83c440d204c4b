using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>What actually goes on the wire for arguments and stdin.</summary>
public sealed class MessageBodyTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> SentBodyAsync(string[] text, byte[]? stdin)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync("<message type='chat' id='{msgId}' to='bob@xsend.test'><body>{body}</body>");
            await s.ExpectAsync("*<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        });
        string[] args = ["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath, "bob@xsend.test", .. text];
        CliResult result = await _cli.RunAsync(args, stdin);
        await server.CompletionAsync();
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr} / server: {server.ScriptFailure}");
        return server.Conversation!.Captures["body"];
    }

    [Fact]
    public async Task Words_are_joined_with_spaces() =>
        Assert.Equal("报警 磁盘满 on db1", await SentBodyAsync(["报警", "磁盘满", "on", "db1"], null));

    [Fact]
    public async Task Stdin_is_read_as_utf8_keeping_inner_newlines_and_dropping_the_final_one() =>
        Assert.Equal("Filesystem  Use%\n/dev/sda1   97% &lt;!&gt;",
            await SentBodyAsync([], Encoding.UTF8.GetBytes("Filesystem  Use%\n/dev/sda1   97% <!>\n")));

    [Fact]
    public async Task Arguments_win_over_stdin() =>
        Assert.Equal("from args", await SentBodyAsync(["from", "args"], Encoding.UTF8.GetBytes("from stdin")));
}
