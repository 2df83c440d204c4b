using System.CommandLine;

namespace XSend.Cli.Commands;

/// <summary><c>xsend outbox list|flush|purge</c>: manage alerts queued for later delivery.</summary>
internal static class OutboxCommand
{
    public static Command Build(ConnectionOptions connection, CliConsole console)
    {
        var list = new Command("list", "List queued alerts, oldest first.");
        list.SetReportingAction(connection, console, (result, _) =>
            Task.FromResult(OutboxAction.List(connection.ToRequest(result), console.Out, console.Error, console.Environment)));
        var flush = new Command("flush", "Send the account's queued alerts now.");
        flush.SetReportingAction(connection, console, (result, token) =>
            OutboxAction.FlushAsync(connection.ToRequest(result), console.Out, console.Error, console.Environment, token));
        var purge = new Command("purge", "Delete all queued alerts.");
        purge.SetReportingAction(connection, console, (result, _) =>
            Task.FromResult(OutboxAction.Purge(connection.ToRequest(result), console.Out, console.Environment)));
        return new Command("outbox", "Manage alerts queued for later delivery (see --no-outbox).") { list, flush, purge };
    }
}
