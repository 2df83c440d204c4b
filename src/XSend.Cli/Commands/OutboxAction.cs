using System.Diagnostics;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary><c>xsend outbox list|flush|purge</c>.</summary>
internal static class OutboxAction
{
    public static int List(ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        try
        {
            OutboxStore outbox = Open(request, environment);
            foreach ((_, OutboxEntry entry) in outbox.List(account: null, stderr, environment.Time.GetUtcNow()))
            {
                string firstLine = entry.Body.Split('\n')[0];
                if (firstLine.Length > 60)
                    firstLine = firstLine[..57] + "...";
                stdout.WriteLine($"{entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {entry.Id}  {entry.Account} -> {entry.To}  {firstLine}");
            }
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Verbose);
        }
    }

    public static int Purge(ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        try
        {
            OutboxStore outbox = Open(request, environment);
            using IDisposable? drainLock = outbox.TryLockForDraining()
                ?? throw new CliException(ExitCodes.TempFail, $"another xsend is draining {outbox.Directory}; try again");
            var entries = outbox.List(account: null, stderr, environment.Time.GetUtcNow());
            foreach ((string path, _) in entries)
                OutboxStore.Remove(path);
            stdout.WriteLine($"purged {entries.Count} queued alert(s) from {outbox.Directory}");
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Verbose);
        }
    }

    /// <summary>Sends the account's queued alerts now: exit 0 when none remain, 75 when some must wait.</summary>
    public static async Task<int> FlushAsync(
        ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using Session session = Session.Prepare(request, environment, stderr, clock);
            var outbox = new OutboxStore(session.Settings.OutboxDirectory, session.Settings.OutboxMaxAge);
            if (!Directory.Exists(outbox.Directory))
                return ExitCodes.Ok;
            using (IDisposable? probe = outbox.TryLockForDraining())
            {
                if (probe is null)
                    throw new CliException(ExitCodes.TempFail, $"another xsend is draining {outbox.Directory}; try again");
            }
            (SendReport report, _) = await AlertDelivery.RunAsync(session, outbox, [], session.Timeout - clock.Elapsed, stderr, cancellationToken)
                .ConfigureAwait(false);
            int left = report.Results.Count(r => r.Status == MessageStatus.NotSent);
            int sent = report.Results.Count(r => r.Status == MessageStatus.Accepted);
            if (left == 0)
            {
                stdout.WriteLine($"sent {sent} queued alert(s)");
                return ExitCodes.Ok;
            }
            Exception failure = report.Interrupted ? new OperationCanceledException() : report.Failure!;
            (int code, string reason) = FailureClassifier.Classify(failure);
            stderr.WriteLine($"xsend: {reason}; {left} alert(s) stay queued in {outbox.Directory}");
            return report.Interrupted || report.Failure!.IsTransient ? ExitCodes.TempFail : code;
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Verbose);
        }
    }

    private static OutboxStore Open(ConnectionRequest request, CliEnvironment environment)
    {
        (string directory, TimeSpan maxAge) = SettingsLoader.LoadOutbox(environment, request.ConfigPath, request.SettingOverrides);
        return new OutboxStore(directory, maxAge);
    }
}
