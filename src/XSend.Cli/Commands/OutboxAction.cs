using System.Diagnostics;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary><c>xsend outbox list|flush|purge</c>.</summary>
internal static class OutboxAction
{
    // Each action returns its exit code, or throws for FailureReporter.Run (the commands' one catch-all).

    /// <summary>Lists the outbox without changing it: queued alerts (expired ones marked), alerts set aside, unreadable files.</summary>
    public static int List(ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment)
    {
        try
        {
            OutboxStore outbox = Open(request, environment);
            OutboxContents contents = outbox.Scan();
            if (contents.Files.Count == 0 && contents.Rejected.Count == 0 && contents.Unreadable.Count == 0)
                stderr.WriteLine($"xsend: no alerts are queued in {outbox.Directory}");
            DateTimeOffset now = environment.Time.GetUtcNow();
            foreach (OutboxEntry entry in contents.Files.SelectMany(f => f.Alerts))
            {
                string note = QueuedAlerts.Problem(entry) is { } problem ? $"  [malformed: {problem}; the next run sets it aside]"
                    : outbox.IsExpired(entry, now) ? $"  [expired: older than {outbox.MaxAge.TotalHours:0.#} h; the next run drops it]"
                    : "";
                stdout.WriteLine(Describe(entry) + note);
            }
            foreach ((string path, RejectedAlert rejected) in contents.Rejected)
                stdout.WriteLine($"{Describe(rejected.Alert)}  [rejected {rejected.SetAside.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z: {rejected.Reason}; {path}]");
            foreach ((string path, string problem) in contents.Unreadable)
                stdout.WriteLine($"unreadable  {path}  [{problem}]");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Config, $"cannot read the outbox: {ex.Message}");
        }
    }

    /// <summary>Deletes every queued alert, every alert set aside and every unreadable file.</summary>
    public static int Purge(ConnectionRequest request, TextWriter stdout, CliEnvironment environment)
    {
        try
        {
            OutboxStore outbox = Open(request, environment);
            if (!Directory.Exists(outbox.Directory))
            {
                stdout.WriteLine($"purged 0 queued alert(s) from {outbox.Directory}");
                return ExitCodes.Ok;
            }
            using IDisposable drainLock = LockOrExplain(outbox);
            OutboxContents contents = outbox.Scan();
            foreach (QueuedFile file in contents.Files)
                OutboxStore.Remove(file.Path);
            foreach ((string path, _) in contents.Rejected)
                OutboxStore.Remove(path);
            foreach ((string path, _) in contents.Unreadable)
                OutboxStore.Remove(path);
            int count = contents.Files.Sum(f => f.Alerts.Count) + contents.Rejected.Count + contents.Unreadable.Count;
            stdout.WriteLine($"purged {count} queued alert(s) from {outbox.Directory}");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Config, $"cannot purge the outbox: {ex.Message}");
        }
    }

    /// <summary>
    /// Sends the account's queued alerts now, holding the drain lock from start to end: exit 0
    /// when none remain (alerts the server refuses are set aside and reported), 75 when some must wait.
    /// </summary>
    public static async Task<int> FlushAsync(
        ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using RunContext run = RunContext.Prepare(request, environment, stderr, clock);
        var outbox = new OutboxStore(run.Settings.OutboxDirectory, run.Settings.OutboxMaxAge) { OpenForWriting = environment.OpenOutboxFile };
        if (!Directory.Exists(outbox.Directory))
        {
            stdout.WriteLine("sent 0 queued alert(s)");
            return ExitCodes.Ok;
        }
        IDisposable drainLock;
        try
        {
            drainLock = LockOrExplain(outbox);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Config, $"cannot use the outbox {outbox.Directory}: {ex.Message}");
        }
        using (drainLock)
        {
            DeliveryOutcome outcome = await AlertDelivery.RunAsync(run, outbox, [], run.Timeout - clock.Elapsed, stderr, cancellationToken,
                    drainLock: drainLock)
                .ConfigureAwait(false);
            if (outcome.OutboxProblem is { } problem)
                throw new CliException(ExitCodes.Config, problem);
            SendReport report = outcome.Report;
            int left = report.Results.Count(r => r.Status == MessageStatus.NotSent);
            int sent = report.Results.Count(r => r.Status == MessageStatus.Accepted);
            int setAside = report.Results.Count(r => r.Status == MessageStatus.Rejected);
            if (left == 0)
            {
                stdout.WriteLine($"sent {sent} queued alert(s)" + (setAside > 0 ? $"; {setAside} set aside as undeliverable (see 'xsend outbox list')" : ""));
                return ExitCodes.Ok;
            }
            Exception failure = report.Interrupted ? new OperationCanceledException() : report.Failure!;
            (int code, string reason) = FailureClassifier.Classify(failure);
            FailureReporter.Print(stderr, $"{reason}; {left} alert(s) stay queued in {outbox.Directory}");
            return report.Interrupted || report.Failure!.IsTransient ? ExitCodes.TempFail : code;
        }
    }

    private static IDisposable LockOrExplain(OutboxStore outbox) =>
        outbox.TryLockForDraining() ?? throw new CliException(ExitCodes.TempFail, $"another xsend is draining {outbox.Directory}; try again");

    private static string Describe(OutboxEntry entry)
    {
        string firstLine = (entry.Body ?? "").Split('\n')[0];
        if (firstLine.Length > 60)
            firstLine = firstLine[..57] + "...";
        return $"{entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {entry.Id}  {entry.Account} -> {entry.To}  {firstLine}";
    }

    private static OutboxStore Open(ConnectionRequest request, CliEnvironment environment)
    {
        using var localReads = new CancellationTokenSource(request.Timeout ?? RunContext.DefaultTimeout, environment.Time);
        (string directory, TimeSpan maxAge) = SettingsLoader.LoadOutbox(environment, request.ConfigPath, request.SettingOverrides, localReads.Token);
        return new OutboxStore(directory, maxAge) { OpenForWriting = environment.OpenOutboxFile };
    }
}
