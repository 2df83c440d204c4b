using System.Diagnostics;
using System.Text.Json;
using XSend.Cli.Failures;
using XSend.Cli.Output;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary><c>xsend contact add JID...</c> and <c>xsend contact list [--json]</c>.</summary>
internal static class ContactAction
{
    public static async Task<int> AddAsync(
        string[] contacts, ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using RunContext run = RunContext.Prepare(request, environment, stderr, clock);
        var jids = new List<Jid>();
        foreach (string text in contacts)
        {
            if (!Jid.TryParse(text, out Jid? jid, out string? error) || jid.Local is null)
                throw new CliException(ExitCodes.DataError, $"invalid contact '{text}': {error ?? "it needs a user@ part"}");
            jids.Add(jid.Bare);
        }
        await AccountSession.RunAsync(run, clock, stderr, async (client, token) =>
        {
            foreach (Jid jid in jids)
            {
                await client.SubscribeAsync(jid, token).ConfigureAwait(false);
                stdout.WriteLine($"asked {jid} for a subscription and pre-approved theirs");
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    public static async Task<int> ListAsync(
        bool json, ConnectionRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using RunContext run = RunContext.Prepare(request, environment, stderr, clock);
        IReadOnlyList<RosterItem> roster = await AccountSession.RunAsync(run, clock, stderr,
            (client, token) => client.GetRosterAsync(token), cancellationToken).ConfigureAwait(false);
        foreach (RosterItem item in roster.OrderBy(i => i.Jid, StringComparer.Ordinal))
        {
            stdout.WriteLine(json
                ? JsonSerializer.Serialize(new ContactLine(item.Jid, item.Name, item.Subscription, item.Ask), CliJsonContext.Default.ContactLine)
                : $"{item.Jid}  {item.Subscription}{(item.Ask is null ? "" : $" (asked: {item.Ask})")}{(item.Name is null ? "" : $"  {item.Name}")}");
        }
        return ExitCodes.Ok;
    }
}
