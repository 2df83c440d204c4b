using System.CommandLine;
using System.Text;
using XSend.Cli.Failures;

namespace XSend.Cli.Commands;

/// <summary>
/// Renders xsend(1) in roff from the command tree itself, so the man page says exactly what
/// --help says. <c>xsend man</c> prints it; docs/xsend.1 is its output, checked by a test.
/// </summary>
internal static class ManPage
{
    public static string Render(RootCommand root)
    {
        var page = new StringBuilder();
        page.AppendLine(".TH XSEND 1 \"\" \"xsend\" \"User Commands\"");
        page.AppendLine(".SH NAME");
        page.AppendLine(@"xsend \- send an alert over XMPP (Jabber)");
        page.AppendLine(".SH SYNOPSIS");
        page.AppendLine(@".B xsend
[\fIoptions\fR] \fIjid\fR [\fItext\fR...]");
        foreach (Command command in root.Subcommands.Where(c => !c.Hidden))
            page.AppendLine($".br\n.B xsend {command.Name}\n[\\fIoptions\\fR]");
        page.AppendLine(".SH DESCRIPTION");
        page.AppendLine(Escape(root.Description ?? ""));
        page.AppendLine(".PP");
        page.AppendLine(Escape(HelpFooter.Grammar));
        page.AppendLine(".SH COMMANDS");
        foreach (Command command in root.Subcommands.Where(c => !c.Hidden))
        {
            page.AppendLine($".TP\n.B {command.Name}{string.Concat(command.Subcommands.Select(s => $" {s.Name}"))}");
            page.AppendLine(Escape(command.Description ?? ""));
            foreach (Command sub in command.Subcommands)
                page.AppendLine($".br\n{Escape($"{sub.Name}: {sub.Description}")}");
        }
        page.AppendLine(".SH OPTIONS");
        foreach (Option option in AllOptions(root))
        {
            string names = string.Join(", ", option.Aliases.Order().Prepend(option.Name).Distinct().Select(n => $"\\fB{Escape(n)}\\fR"));
            string value = option.HelpName is { } help ? $" \\fI{Escape(help)}\\fR" : "";
            page.AppendLine($".TP\n{names}{value}");
            page.AppendLine(Escape(option.Description ?? ""));
        }
        page.AppendLine(".SH EXIT STATUS");
        foreach ((int code, string meaning) in ExitCodes.Table)
            page.AppendLine($".TP\n.B {code}\n{Escape(meaning)}");
        page.AppendLine(".SH EXAMPLES");
        foreach (string line in HelpFooter.Text.Split('\n').SkipWhile(l => l != "Examples:").Skip(1).TakeWhile(l => l.Length > 0))
            page.AppendLine($".nf\n{Escape(line.Trim())}\n.fi");
        page.AppendLine(".SH FILES");
        page.AppendLine(@".TP
.I /etc/xsend/appsettings.json
System-wide settings.
.TP
.I ~/.config/xsend/appsettings.json
Per-user settings ($XDG_CONFIG_HOME/xsend).
.TP
.I /var/spool/xsend, ~/.local/state/xsend/outbox
The outbox for alerts not yet delivered (root, others).
.TP
.I /var/lib/xsend/mechanisms.json, ~/.local/state/xsend/mechanisms.json
With --pin-mechanism: the strongest login mechanism each account used (root, others; State:Directory).
.TP
.I /var/lib/xsend/fast-tokens.json, ~/.local/state/xsend/fast-tokens.json
XEP-0484 (FAST) login tokens per account and SASL2 user agent, from servers that offer them (Security:FastTokens; root, others).");
        page.AppendLine(".SH ENVIRONMENT");
        page.AppendLine(@"Every setting can be given as XSEND_ plus its key, sections joined by __ and words by _, e.g.
.BR XSEND_ACCOUNT__JID ,
.BR XSEND_ACCOUNT__PASSWORD_FILE ,
.BR XSEND_TIMEOUT .");
        return page.ToString();
    }

    private static IEnumerable<Option> AllOptions(Command root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Command command in new[] { root }.Concat(Descendants(root)))
        {
            foreach (Option option in command.Options.Where(o => !o.Hidden && seen.Add(o.Name)))
                yield return option;
        }
    }

    private static IEnumerable<Command> Descendants(Command command) =>
        command.Subcommands.SelectMany(c => new[] { c }.Concat(Descendants(c)));

    // roff: a backslash starts an escape; a leading '.' or '\'' would start a request.
    private static string Escape(string text)
    {
        string escaped = text.Replace(@"\", @"\e").Replace("-", @"\-");
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? @"\&" + escaped : escaped;
    }
}
