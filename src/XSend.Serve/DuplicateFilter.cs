namespace XSend.Serve;

/// <summary>
/// Drops the copies of a notification that Alertmanager replicas in HA mode each send: the same
/// receiver, group key, status and alert fingerprints within <see cref="Window"/>. A copy that arrives
/// while the first is still being delivered waits for its outcome and shares it, so a failed
/// first attempt is never reported as delivered. Memory is bounded by <see cref="Capacity"/>.
/// </summary>
internal sealed class DuplicateFilter(TimeSpan window, TimeProvider time, int capacity = 10_000)
{
    private readonly Dictionary<string, Entry> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();
    private readonly Lock _lock = new();

    private sealed record Entry(DateTimeOffset At, Task<WebhookOutcome> Outcome);

    public TimeSpan Window { get; } = window;

    public int Capacity { get; } = capacity;

    /// <summary>The key of a notification, or null when it has no group key (then it is never a duplicate).</summary>
    public static string? KeyOf(string endpoint, WebhookPayload payload)
    {
        if (string.IsNullOrEmpty(payload.GroupKey))
            return null;
        IEnumerable<string> fingerprints = (payload.Alerts ?? []).Select(a => $"{a.Fingerprint}/{a.Status}").Order(StringComparer.Ordinal);
        return $"{endpoint}\n{payload.Receiver}\n{payload.GroupKey}\n{payload.Status}\n{string.Join(',', fingerprints)}";
    }

    /// <summary>
    /// Delivers through <paramref name="deliver"/> unless the same key was delivered (or queued)
    /// within the window, or is being delivered now; then returns that outcome marked as a duplicate.
    /// </summary>
    public async Task<WebhookOutcome> RunAsync(string? key, Func<Task<WebhookOutcome>> deliver)
    {
        if (key is null || Window <= TimeSpan.Zero)
            return await deliver().ConfigureAwait(false);
        TaskCompletionSource<WebhookOutcome> mine;
        Task<WebhookOutcome>? earlier = null;
        lock (_lock)
        {
            DateTimeOffset now = time.GetUtcNow();
            Prune(now);
            if (_seen.TryGetValue(key, out Entry? entry))
                earlier = entry.Outcome;
            mine = new TaskCompletionSource<WebhookOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (earlier is null)
            {
                _seen[key] = new Entry(now, mine.Task);
                _order.Enqueue((key, now));
            }
        }
        if (earlier is not null)
        {
            WebhookOutcome first = await earlier.ConfigureAwait(false);
            return first with { Duplicate = first.Accepted };
        }
        WebhookOutcome outcome;
        try
        {
            outcome = await deliver().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Forget(key, mine.Task);
            mine.SetException(ex);
            throw;
        }
        if (!outcome.Accepted)
            Forget(key, mine.Task); // not done: the next copy (a retry, the other replica) must try again
        mine.SetResult(outcome);
        return outcome;
    }

    private void Forget(string key, Task<WebhookOutcome> task)
    {
        lock (_lock)
        {
            if (_seen.TryGetValue(key, out Entry? entry) && entry.Outcome == task)
                _seen.Remove(key);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && (now - oldest.At >= Window || _order.Count >= Capacity))
        {
            _order.Dequeue();
            if (_seen.TryGetValue(oldest.Key, out Entry? entry) && entry.At == oldest.At)
                _seen.Remove(oldest.Key);
        }
    }
}
