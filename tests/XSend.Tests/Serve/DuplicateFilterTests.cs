using Microsoft.Extensions.Time.Testing;
using XSend.Serve;

namespace XSend.Tests.Serve;

/// <summary>HA duplicates: the same notification from two replicas is delivered once within the window; a failed one is not remembered.</summary>
public sealed class DuplicateFilterTests
{
    private static WebhookPayload Notification(string status = "firing", params string[] fingerprints) => new()
    {
        Status = status,
        GroupKey = "{}:{alertname=\"DiskFull\"}",
        Alerts = [.. (fingerprints.Length == 0 ? ["a1", "b2"] : fingerprints).Select(f => new WebhookAlert { Fingerprint = f, Status = status })],
    };

    private static string Key(WebhookPayload payload) => DuplicateFilter.KeyOf("/alertmanager", payload)!;

    [Fact]
    public async Task The_second_copy_within_the_window_is_a_duplicate_and_not_delivered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero));
        var filter = new DuplicateFilter(TimeSpan.FromMinutes(5), time);
        int deliveries = 0;
        Task<WebhookOutcome> Deliver() { deliveries++; return Task.FromResult(new WebhookOutcome(WebhookDisposition.Delivered)); }

        WebhookOutcome first = await filter.RunAsync(Key(Notification()), Deliver);
        time.Advance(TimeSpan.FromMinutes(4));
        WebhookOutcome second = await filter.RunAsync(Key(Notification(fingerprints: ["b2", "a1"])), Deliver); // order does not matter

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(1, deliveries);

        time.Advance(TimeSpan.FromMinutes(1)); // the window has passed: a repeat notification is news again
        Assert.False((await filter.RunAsync(Key(Notification()), Deliver)).Duplicate);
        Assert.Equal(2, deliveries);
    }

    [Fact]
    public void Status_fingerprints_endpoint_and_group_make_the_key()
    {
        string key = Key(Notification());
        Assert.NotEqual(key, Key(Notification("resolved")));
        Assert.NotEqual(key, Key(Notification(fingerprints: ["a1"])));
        Assert.NotEqual(key, DuplicateFilter.KeyOf("/grafana", Notification()));
        Assert.NotEqual(key, Key(Notification() with { Receiver = "another-receiver" }));
        Assert.NotEqual(key, Key(Notification() with { GroupKey = "{}:{alertname=\"Other\"}" }));
        Assert.Null(DuplicateFilter.KeyOf("/alertmanager", Notification() with { GroupKey = null }));
    }

    [Fact]
    public async Task A_copy_arriving_during_delivery_waits_for_it_and_shares_its_outcome()
    {
        var filter = new DuplicateFilter(TimeSpan.FromMinutes(5), new FakeTimeProvider());
        var release = new TaskCompletionSource<WebhookOutcome>();
        int deliveries = 0;
        Task<WebhookOutcome> Deliver() { deliveries++; return release.Task; }

        Task<WebhookOutcome> first = filter.RunAsync(Key(Notification()), Deliver);
        Task<WebhookOutcome> second = filter.RunAsync(Key(Notification()), Deliver);
        Assert.False(second.IsCompleted);
        release.SetResult(new WebhookOutcome(WebhookDisposition.Queued));

        Assert.Equal(WebhookDisposition.Queued, (await first).Disposition);
        Assert.True((await second).Duplicate);
        Assert.Equal(1, deliveries);
    }

    [Fact]
    public async Task A_failed_delivery_is_forgotten_so_the_retry_is_delivered()
    {
        var filter = new DuplicateFilter(TimeSpan.FromMinutes(5), new FakeTimeProvider());
        var outcomes = new Queue<WebhookOutcome>([new(WebhookDisposition.Failed, "down"), new(WebhookDisposition.Delivered)]);
        int deliveries = 0;
        Task<WebhookOutcome> Deliver() { deliveries++; return Task.FromResult(outcomes.Dequeue()); }

        WebhookOutcome failed = await filter.RunAsync(Key(Notification()), Deliver);
        WebhookOutcome retried = await filter.RunAsync(Key(Notification()), Deliver);

        Assert.Equal(WebhookDisposition.Failed, failed.Disposition);
        Assert.False(retried.Duplicate);
        Assert.Equal(WebhookDisposition.Delivered, retried.Disposition);
        Assert.Equal(2, deliveries);
    }

    [Fact]
    public async Task Memory_is_bounded_by_the_capacity()
    {
        var time = new FakeTimeProvider();
        var filter = new DuplicateFilter(TimeSpan.FromHours(1), time, capacity: 3);
        Task<WebhookOutcome> Deliver() => Task.FromResult(new WebhookOutcome(WebhookDisposition.Delivered));
        foreach (string fingerprint in new[] { "1", "2", "3", "4" })
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await filter.RunAsync(Key(Notification(fingerprints: fingerprint)), Deliver);
        }

        Assert.True((await filter.RunAsync(Key(Notification(fingerprints: "4")), Deliver)).Duplicate);
        Assert.False((await filter.RunAsync(Key(Notification(fingerprints: "1")), Deliver)).Duplicate); // the oldest was let go
    }
}
