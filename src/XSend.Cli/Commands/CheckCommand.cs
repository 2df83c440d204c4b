using System.CommandLine;
using System.Text.Json;
using XSend.Cli.Output;

namespace XSend.Cli.Commands;

/// <summary><c>xsend check [--json]</c>: connect, authenticate and report (start here when alerts stop).</summary>
internal sealed class CheckCommand
{
    public const string Name = "check";

    public readonly Option<bool> Json = new("--json") { Description = "Print the report as one JSON object." };

    public Command Build(ConnectionOptions connection, CliConsole console)
    {
        var command = new Command(Name,
            "Connect, authenticate and report: server, TLS version and cipher, certificate and its pin, SASL mechanisms, and server features. Exits like a send.")
        {
            Json,
        };
        command.SetReportingAction(connection, console,
            (result, token) => CheckAction.RunAsync(result.GetValue(Json), connection.ToRequest(result), console.Out, console.Error, console.Environment, token),
            // A script reading the JSON gets an object either way.
            (result, code, message) =>
            {
                if (result.GetValue(Json))
                    WriteFailure(console.Out, code, message);
            });
        return command;
    }

    /// <summary>check --json's answer to a failure: <c>{"ok":false,"exitCode":N,"error":"…"}</c> on stdout.</summary>
    public static void WriteFailure(TextWriter stdout, int code, string message) =>
        stdout.WriteLine(JsonSerializer.Serialize(new CheckFailure(false, code, message), CliJsonContext.Default.CheckFailure));
}
