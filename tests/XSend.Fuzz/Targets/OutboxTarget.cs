using XSend.Cli;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;
using XSend.Xmpp.Protocol;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is one queued-alert file in the outbox. Two readers see it, as in a real run: the
/// drain (<see cref="OutboxStore.Scan"/> and <see cref="DrainPlan"/>, then each entry turned into the message stanza it would
/// resend) and <c>xsend outbox list</c>, which must not exit 70 (an internal error).
/// </summary>
internal static class OutboxTarget
{
    private const string FileName = "20261130T120000000000-0123456789abcdef.alert.json";

    // A fixed clock: queued alerts are judged against 2026-12-01, not today.
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> Root = new(() => FuzzScratch.Create("outbox"));

    public static string Run(byte[] input)
    {
        string directory = Path.Combine(Root.Value, "outbox");
        Reset(directory, input);
        var store = new OutboxStore(directory, TimeSpan.FromDays(365));
        int rendered = 0;
        OutboxContents contents = store.Scan();
        foreach (string account in contents.Files.SelectMany(f => f.Alerts).Select(a => a.Account ?? "").Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var message in DrainPlan.Prepare(store, contents, account, Now, 1000, TextWriter.Null).Messages)
            {
                ClientXml.Message(message, message.Id!);
                rendered++;
            }
        }

        Reset(directory, input);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Variables = new Dictionary<string, string>
            {
                ["HOME"] = Root.Value,
                ["XSEND_OUTBOX__DIRECTORY"] = directory,
                ["XSEND_OUTBOX__MAX_AGE_HOURS"] = "8760",
            },
            StdinIsTerminal = true,
            SystemConfigPath = Path.Combine(Root.Value, "no-system-config.json"),
            Time = new FixedTime(Now),
        };
        // The whole command, as a user runs it: its failures go through the one catch-all.
        int code = XSendApp.RunAsync(["outbox", "list"], Stream.Null, stdout, stderr, environment).GetAwaiter().GetResult();
        if (code == ExitCodes.Software)
            throw new InvalidOperationException($"xsend outbox list exited {code}: {stderr.ToString().Trim()}");
        return $"{rendered} alert(s) resent, outbox list exit {code}";
    }

    private static void Reset(string directory, byte[] input)
    {
        if (System.IO.Directory.Exists(directory))
            System.IO.Directory.Delete(directory, recursive: true);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, FileName), input);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
