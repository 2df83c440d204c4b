using XSend.Serve;

namespace XSend.Tests.Serve;

/// <summary>The hand-written Prometheus text exposition: counters and a cumulative histogram.</summary>
public sealed class ServeMetricsTests
{
    [Fact]
    public void Counters_and_the_latency_histogram_render_in_the_text_format()
    {
        var metrics = new ServeMetrics();
        metrics.Delivered.Add(3);
        metrics.Queued.Increment();
        metrics.Duplicates.Increment();
        metrics.ObserveLatency(TimeSpan.FromMilliseconds(7));
        metrics.ObserveLatency(TimeSpan.FromSeconds(2));

        string[] lines = metrics.Render().Split('\n');

        Assert.Contains("# TYPE xsend_serve_messages_delivered_total counter", lines);
        Assert.Contains("xsend_serve_messages_delivered_total 3", lines);
        Assert.Contains("xsend_serve_messages_queued_total 1", lines);
        Assert.Contains("xsend_serve_messages_failed_total 0", lines);
        Assert.Contains("xsend_serve_duplicates_total 1", lines);
        Assert.Contains("xsend_serve_reconnects_total 0", lines);
        Assert.Contains("# TYPE xsend_serve_webhook_duration_seconds histogram", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_bucket{le=\"0.005\"} 0", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_bucket{le=\"0.01\"} 1", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_bucket{le=\"1\"} 1", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_bucket{le=\"2.5\"} 2", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_bucket{le=\"+Inf\"} 2", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_sum 2.007", lines);
        Assert.Contains("xsend_serve_webhook_duration_seconds_count 2", lines);
        Assert.Equal("", lines[^1]); // the format ends with a line feed
    }
}
