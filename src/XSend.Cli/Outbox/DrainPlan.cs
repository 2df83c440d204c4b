using XSend.Cli.Failures;
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

    private sealed record Slot(OutboxEntry Entry, Fate Fate, int Index = -1, string? Reason = null)
    {
        /// <summary>The send's result, once the server settled the alert.</summary>
        public MessageResult? Result { get; set; }

        /// <summary>Whether the slot's fate has been applied (it left the file).</summary>
        public bool Done { get; set; }
    }

    private sealed class PlannedFile(string path, List<Slot> slots)
    {
        public string Path { get; } = path;

        public List<Slot> Slots { get; } = slots;

        /// <summary>Results recorded since the file was last written.</summary>
        public int Unwritten { get; set; }
    }

    // A batch file is rewritten at most once per this many settled alerts (the sender's window),
    // so a large backlog costs a rewrite per window, not one per alert.
    private const int RewriteEvery = 200;

    private readonly OutboxStore _outbox;
    private readonly List<PlannedFile> _files = [];
    private readonly Dictionary<string, (PlannedFile File, Slot Slot)> _sending = new(StringComparer.Ordinal);
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
                FailureReporter.Print(stderr, $"warning: cannot read queued alert file {path} ({problem}); set aside as {corrupt}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                FailureReporter.Print(stderr, $"warning: cannot read queued alert file {path} ({problem}) nor set it aside ({ex.Message})");
            }
        }
        foreach (QueuedFile file in contents.Files)
        {
            var planned = new PlannedFile(file.Path, new List<Slot>(file.Alerts.Count));
            foreach (OutboxEntry entry in file.Alerts)
            {
                Slot slot;
                if (QueuedAlerts.Problem(entry) is { } problem)
                    slot = new Slot(entry, Fate.SetAside, Reason: problem);
                else if (!string.Equals(entry.Account, account, StringComparison.OrdinalIgnoreCase))
                    slot = new Slot(entry, Fate.Keep);
                else if (outbox.IsExpired(entry, now))
                    slot = new Slot(entry, Fate.Drop, Reason: $"older than {outbox.MaxAge.TotalHours:0.#} h");
                else if (plan._messages.Count < limit && !plan._sending.ContainsKey(entry.Id))
                {
                    slot = new Slot(entry, Fate.Send, plan._messages.Count);
                    plan._messages.Add(QueuedAlerts.ToMessage(entry));
                    plan._sending[entry.Id] = (planned, slot);
                }
                else
                    slot = new Slot(entry, Fate.Keep); // over the run's limit (or a repeated id): a later run sends it
                planned.Slots.Add(slot);
            }
            plan._files.Add(planned);
        }
        return plan;
    }

    /// <summary>
    /// Records one alert the server just settled (acked or bounced), so it leaves the outbox at
    /// once: a later interruption, even kill -9, cannot send it again. A batch file is rewritten
    /// when all its alerts in this run are settled, or after a window's worth of them.
    /// </summary>
    public void Record(MessageResult result, DateTimeOffset now, TextWriter stderr, IProgress<XmppProgress>? narrator)
    {
        if (result.Status == MessageStatus.NotSent || !_sending.TryGetValue(result.Id, out var sending) || sending.Slot.Result is not null)
            return;
        sending.Slot.Result = result;
        PlannedFile file = sending.File;
        file.Unwritten++;
        if (file.Unwritten >= RewriteEvery || file.Slots.All(s => s.Fate != Fate.Send || s.Result is not null))
            Apply(file, final: false, now, stderr, narrator);
    }

    /// <summary>
    /// Applies the send's results (the first <see cref="Messages"/>.Count of them) and the plan:
    /// delivered alerts leave the outbox, refused ones are set aside with the reason (reported
    /// here, once), expired ones are dropped, unsent ones stay. A batch file partly delivered is
    /// rewritten atomically with only the rest.
    /// </summary>
    public void Settle(IReadOnlyList<MessageResult> results, DateTimeOffset now, TextWriter stderr, IProgress<XmppProgress>? narrator)
    {
        foreach ((PlannedFile file, Slot slot) in _sending.Values)
        {
            if (slot.Result is null && results[slot.Index].Status != MessageStatus.NotSent)
                slot.Result = results[slot.Index];
        }
        foreach (PlannedFile file in _files)
            Apply(file, final: true, now, stderr, narrator);
    }

    /// <summary>Writes what is settled to <paramref name="file"/>; the planned drops and set-asides only when <paramref name="final"/>.</summary>
    private void Apply(PlannedFile file, bool final, DateTimeOffset now, TextWriter stderr, IProgress<XmppProgress>? narrator)
    {
        var remaining = new List<OutboxEntry>(file.Slots.Count);
        bool changed = false;
        foreach (Slot slot in file.Slots)
        {
            if (slot.Done)
                continue;
            (Fate fate, string? reason) = slot.Fate switch
            {
                Fate.Send => slot.Result is { } result ? Outcome(result) : (Fate.Keep, null),
                Fate.Drop or Fate.SetAside when !final => (Fate.Keep, null),
                _ => (slot.Fate, slot.Reason),
            };
            switch (fate)
            {
                case Fate.Keep:
                    remaining.Add(slot.Entry);
                    continue;
                case Fate.Drop when slot.Fate == Fate.Send:
                    narrator?.Report(new XmppProgress(XmppStep.Sending,
                        $"queued alert {slot.Entry.Id} from {slot.Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC delivered"));
                    break;
                case Fate.Drop:
                    FailureReporter.Print(stderr, $"warning: dropped queued alert {slot.Entry.Id} to {slot.Entry.To} from "
                        + $"{slot.Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {reason}");
                    break;
                case Fate.SetAside:
                    if (!SetAside(slot.Entry, reason!, now, stderr))
                    {
                        remaining.Add(slot.Entry); // kept rather than lost; warned about
                        continue;
                    }
                    break;
            }
            slot.Done = true;
            changed = true;
        }
        file.Unwritten = 0;
        if (!changed)
            return;
        try
        {
            _outbox.Rewrite(file.Path, remaining);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FailureReporter.Print(stderr, $"warning: cannot update the outbox file {file.Path} ({ex.Message}); "
                + "alerts in it that were delivered may be sent again (with the same ids)");
            foreach (Slot slot in file.Slots.Where(s => s.Done && s.Fate == Fate.Send))
                slot.Done = false; // not written: a later attempt (the final settle) tries again
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
            FailureReporter.Print(stderr, $"warning: {who} cannot be delivered and was set aside as {rejected}: {reason}");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FailureReporter.Print(stderr, $"warning: {who} cannot be delivered ({reason}), and setting it aside failed ({ex.Message})");
            return false;
        }
    }
}
