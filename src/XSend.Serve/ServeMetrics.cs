using System.Globalization;
using System.Text;

namespace XSend.Serve;

/// <summary>
/// The bridge's counters and the webhook-to-ack latency histogram, rendered in the Prometheus
/// text exposition format (version 0.0.4) by hand: a few lines of code, no reflection, nothing
/// to vet for Native AOT.
/// </summary>
internal sealed class ServeMetrics
{
    /// <summary>Upper bounds of the latency buckets, in seconds.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private long _latencyCount;
    private long _latencySumTicks;

    public Counter Delivered { get; } = new();

    public Counter Queued { get; } = new();

    public Counter Failed { get; } = new();

    public Counter Duplicates { get; } = new();

    public Counter Reconnects { get; } = new();

    /// <summary>Records the time from a webhook's arrival to its answer (acked or queued).</summary>
    public void ObserveLatency(TimeSpan elapsed)
    {
        double seconds = elapsed.TotalSeconds;
        for (int i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
                Interlocked.Increment(ref _bucketCounts[i]);
        }
        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencySumTicks, elapsed.Ticks);
    }

    /// <summary>The exposition text served at /metrics.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        CounterText(text, "xsend_serve_messages_delivered_total", "Messages acked by the XMPP server (queued ones included when they are sent).", Delivered);
        CounterText(text, "xsend_serve_messages_queued_total", "Messages written to the outbox because the XMPP server was unreachable.", Queued);
        CounterText(text, "xsend_serve_messages_failed_total", "Messages neither delivered nor queued (the webhook got 503).", Failed);
        CounterText(text, "xsend_serve_duplicates_total", "Notifications dropped as copies of one already delivered or queued.", Duplicates);
        CounterText(text, "xsend_serve_reconnects_total", "Times the XMPP server was reached again after being unreachable.", Reconnects);
        const string Name = "xsend_serve_webhook_duration_seconds";
        text.Append("# HELP ").Append(Name).Append(" Time from a webhook's arrival to its answer: acked by the server, or queued.\n");
        text.Append("# TYPE ").Append(Name).Append(" histogram\n");
        for (int i = 0; i < Buckets.Length; i++)
            text.Append(Name).Append("_bucket{le=\"").Append(Format(Buckets[i])).Append("\"} ").Append(Interlocked.Read(ref _bucketCounts[i])).Append('\n');
        long count = Interlocked.Read(ref _latencyCount);
        text.Append(Name).Append("_bucket{le=\"+Inf\"} ").Append(count).Append('\n');
        text.Append(Name).Append("_sum ").Append(Format(TimeSpan.FromTicks(Interlocked.Read(ref _latencySumTicks)).TotalSeconds)).Append('\n');
        text.Append(Name).Append("_count ").Append(count).Append('\n');
        return text.ToString();
    }

    private static void CounterText(StringBuilder text, string name, string help, Counter counter) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(counter.Value).Append('\n');

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A monotonic counter.</summary>
    internal sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);

        public void Add(long amount) => Interlocked.Add(ref _value, amount);
    }
}
