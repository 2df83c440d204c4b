using System.Text;
using XSend.Cli.Failures;

namespace XSend.Cli.Commands;

/// <summary>The examples and exit-code table printed after the option list.</summary>
internal static class HelpFooter
{
    public static readonly string Text = Build();

    /// <summary>The grammar the parser cannot show in its usage line (also in the man page).</summary>
    public const string Grammar =
        "Options come first: every word after the recipient is message text, so the command\n"
        + "xsend ops@example.org load is -v high   sends \"load is -v high\". A subcommand (check, listen,\n"
        + "contact, outbox, man) counts only as the first word. With -m, --file or --line-mode every word\n"
        + "is a recipient; with --to the words are the text.";

    private static string Build()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Grammar);
        sb.AppendLine();
        sb.AppendLine("Examples:");
        sb.AppendLine("  xsend ops@example.org \"报警 磁盘满\"");
        sb.AppendLine("  df -h | xsend ops@example.org");
        sb.AppendLine("  xsend --jid alerts@example.org --password-file /etc/xsend/password ops@example.org disk full");
        sb.AppendLine("  xsend --server talk.google.com:5222 --timeout 10 -v ops@gmail.com \"backup failed\"");
        sb.AppendLine("  xsend listen --count 1 --timeout 60      (as the recipient: print what arrives)");
        sb.AppendLine();
        sb.AppendLine("Settings come from /etc/xsend/appsettings.json, then ~/.config/xsend/appsettings.json,");
        sb.AppendLine("then --config, then XSEND_* variables (XSEND_ACCOUNT__JID, XSEND_ACCOUNT__PASSWORD_FILE, ...),");
        sb.AppendLine("then options; later sources win.");
        sb.AppendLine();
        sb.AppendLine("Exit codes:");
        foreach ((int code, string meaning) in ExitCodes.Table)
            sb.AppendLine($"  {code,-3} {meaning}");
        return sb.ToString();
    }
}
