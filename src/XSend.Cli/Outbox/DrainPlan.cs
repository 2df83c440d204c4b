using XSend.Xmpp;

namespace XSend.Cli.Outbox;

/// <summary>
/// What one run does with the outbox, under the drain lock: which queued alerts it sends
/// (the account's, oldest first, up to a limit), which it drops as expired, and which it sets
/// aside as malformed; then, from the send's results, which files it deletes, rewrites with
/// only the unsent rest, or leaves alone.
/// </summary>
internal sealed class DrainPlan
{
    private enum Fate
    {
        Keep,
        Send,
        Drop,
        SetAside,
    }

    private sealed record Slot(OutboxEntry Entry, Fate Fate, int Index = -1, string? Reason = null);

    private readonly OutboxStore _outbox;
    private readonly List<(string Path, List<Slot> Slots)> _files = [];
    private readonly List<OutgoingMessage> _messages = [];

    private DrainPlan(OutboxStore outbox) => _outbox = outbox;

    /// <summary>The queued alerts to send, in order, before the run's own.</summary>
    public IReadOnlyList<OutgoingMessage> Messages => _messages;

    /// <summary>Plans the drain of <paramref name="account"/>'s alerts (changes nothing yet except unreadable files, set aside as <c>.corrupt</c>).</summary>
    public static DrainPlan Prepare(OutboxStore outbox, OutboxContents contents, string account, DateTimeOffset now, int limit, TextWriter stderr)
    {
        var plan = new DrainPlan(outbox);
        foreach ((string path, string problem) in contents.Unreadable)
        {
            if (!path.EndsWith(OutboxStore.Extension, StringComparison.Ordinal))
                continue; // set aside already
            try
            {
                string corrupt = OutboxStore.SetAsideUnreadable(path);
                stderr.WriteLine($"xsend: warning: cannot read queued alert file {path} ({problem}); set aside as {corrupt}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"xsend: warning: cannot read queued alert file {path} ({problem}) nor set it aside ({ex.Message})");
            }
        }
        foreach (QueuedFile file in contents.Files)
        {
            var slots = new List<Slot>(file.Alerts.Count);
            foreach (OutboxEntry entry in file.Alerts)
            {
                if (QueuedAlerts.Problem(entry) is { } problem)
                    slots.Add(new Slot(entry, Fate.SetAside, Reason: problem));
                else if (!string.Equals(entry.Account, account, StringComparison.OrdinalIgnoreCase))
                    slots.Add(new Slot(entry, Fate.Keep));
                else if (outbox.IsExpired(entry, now))
                    slots.Add(new Slot(entry, Fate.Drop, Reason: $"older than {outbox.MaxAge.TotalHours:0.#} h"));
                else if (plan._messages.Count < limit)
                {
                    slots.Add(new Slot(entry, Fate.Send, plan._messages.Count));
                    plan._messages.Add(QueuedAlerts.ToMessage(entry));
                }
                else
                    slots.Add(new Slot(entry, Fate.Keep)); // over the run's limit: the next run sends it
            }
            plan._files.Add((file.Path, slots));
        }
        return plan;
    }

    /// <summary>
    /// Applies the send's results (the first <see cref="Messages"/>.Count of them): delivered
    /// alerts leave the outbox, refused ones are set aside with the reason (reported here, once),
    /// unsent ones stay. A batch file partly delivered is rewritten atomically with only the rest.
    /// </summary>
    public void Settle(IReadOnlyList<MessageResult> results, DateTimeOffset now, TextWriter stderr, IProgress<XSend.Xmpp.XmppProgress>? narrator)
    {
        foreach ((string path, List<Slot> slots) in _files)
        {
            var remaining = new List<OutboxEntry>(slots.Count);
            bool changed = false;
            foreach (Slot slot in slots)
            {
                (Fate fate, string? reason) = slot.Fate == Fate.Send ? Outcome(results[slot.Index]) : (slot.Fate, slot.Reason);
                switch (fate)
                {
                    case Fate.Keep:
                        remaining.Add(slot.Entry);
                        break;
                    case Fate.Drop when slot.Fate == Fate.Send:
                        changed = true;
                        narrator?.Report(new XmppProgress(XmppStep.Sending,
                            $"queued alert {slot.Entry.Id} from {slot.Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC delivered"));
                        break;
                    case Fate.Drop:
                        changed = true;
                        stderr.WriteLine($"xsend: warning: dropped queued alert {slot.Entry.Id} to {slot.Entry.To} from "
                            + $"{slot.Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {reason}");
                        break;
                    case Fate.SetAside:
                        if (SetAside(slot.Entry, reason!, now, stderr))
                            changed = true;
                        else
                            remaining.Add(slot.Entry); // kept rather than lost; warned about
                        break;
                }
            }
            if (!changed)
                continue;
            try
            {
                _outbox.Rewrite(path, remaining);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"xsend: warning: cannot update the outbox file {path} ({ex.Message}); "
                    + "alerts in it that were delivered may be sent again (with the same ids)");
            }
        }
    }

    private static (Fate, string?) Outcome(MessageResult result) => result.Status switch
    {
        MessageStatus.Accepted => (Fate.Drop, null),
        MessageStatus.Rejected when result.Rejection!.IsTransient => (Fate.Keep, null), // RFC 6120 §8.3.2: 'wait' means later
        MessageStatus.Rejected => (Fate.SetAside, result.Rejection!.Message),
        _ => (Fate.Keep, null),
    };

    private bool SetAside(OutboxEntry entry, string reason, DateTimeOffset now, TextWriter stderr)
    {
        string who = QueuedAlerts.IsSafeId(entry.Id) ? $"queued alert {entry.Id} to {entry.To}" : "a queued alert";
        try
        {
            string rejected = _outbox.SetAside(entry, reason, now);
            stderr.WriteLine($"xsend: warning: {who} cannot be delivered and was set aside as {rejected}: {reason}");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"xsend: warning: {who} cannot be delivered ({reason}), and setting it aside failed ({ex.Message})");
            return false;
        }
    }
}
