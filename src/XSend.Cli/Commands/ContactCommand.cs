using System.CommandLine;

namespace XSend.Cli.Commands;

/// <summary><c>xsend contact add &lt;jid&gt;...</c> and <c>xsend contact list [--json]</c>.</summary>
internal sealed class ContactCommand
{
    public readonly Argument<string[]> Jids = new("jid")
    {
        Description = "The contacts to add.",
        Arity = ArgumentArity.OneOrMore,
    };

    public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per contact (JSON Lines)." };

    public Command Build(ConnectionOptions connection, CliConsole console)
    {
        var add = new Command("add", "Ask each JID for a presence subscription and pre-approve theirs (RFC 6121 §3.4).") { Jids };
        add.SetReportingAction(connection, console, (result, token) =>
            ContactAction.AddAsync(result.GetValue(Jids) ?? [], connection.ToRequest(result), console.Out, console.Error, console.Environment, token));
        var list = new Command("list", "Show the roster with subscription states.") { Json };
        list.SetReportingAction(connection, console, (result, token) =>
            ContactAction.ListAsync(result.GetValue(Json), connection.ToRequest(result), console.Out, console.Error, console.Environment, token));
        return new Command("contact", "Manage the account's contacts (servers that deliver only between contacts need this).") { add, list };
    }
}
