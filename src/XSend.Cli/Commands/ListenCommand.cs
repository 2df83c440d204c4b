using System.CommandLine;
using System.Globalization;

namespace XSend.Cli.Commands;

/// <summary><c>xsend listen [--count N] [--json]</c>: print incoming messages (testing delivery by hand).</summary>
internal sealed class ListenCommand
{
    public const string Name = "listen";

    public readonly Option<int?> Count = new("--count")
    {
        Description = "Stop after this many messages; exit 75 if fewer arrive before the timeout.",
        HelpName = "N",
        CustomParser = result =>
        {
            // One line for any word that is not a count (1e3, 1.5, 99999999999), never the parser's exception.
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1)
                return count;
            result.AddError($"--count must be a whole number of messages, at least 1, not '{text}'");
            return null;
        },
    };

    public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per message (JSON Lines)." };

    public Command Build(ConnectionOptions connection, CliConsole console)
    {
        var command = new Command(Name,
            "Log in as the account and print each incoming message as one line (from, type, body) until --count or --timeout. Answers receipt requests and pings.")
        {
            Count, Json,
        };
        command.SetReportingAction(connection, console, (result, token) =>
            ListenAction.RunAsync(new ListenRequest(result.GetValue(Count), result.GetValue(Json), connection.ToRequest(result)),
                console.Out, console.Error, console.Environment, token));
        return command;
    }
}
