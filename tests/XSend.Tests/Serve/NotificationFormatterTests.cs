using System.Text.Json;
using XSend.Serve;

namespace XSend.Tests.Serve;

/// <summary>The message people read: parsed from real payload shapes, one summary line, one line per alert, cut with "… and N more".</summary>
public sealed class NotificationFormatterTests
{
    /// <summary>An Alertmanager 0.25 webhook body (payload version 4), as its documentation shows it.</summary>
    internal const string AlertmanagerFiring = """
        {
          "receiver": "xsend",
          "status": "firing",
          "alerts": [
            {
              "status": "firing",
              "labels": { "alertname": "DiskFull", "instance": "web1:9100", "severity": "critical" },
              "annotations": { "summary": "Disk / on web1 is 97% full", "description": "ignored when a summary exists" },
              "startsAt": "2026-11-30T22:04:05.123Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=disk",
              "fingerprint": "a1b2c3"
            },
            {
              "status": "firing",
              "labels": { "alertname": "DiskFull", "instance": "web2:9100", "severity": "critical" },
              "annotations": { "description": "Disk /var on web2\nis 99% full" },
              "startsAt": "2026-11-30T22:05:00Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=disk2",
              "fingerprint": "d4e5f6"
            }
          ],
          "groupLabels": { "alertname": "DiskFull" },
          "commonLabels": { "alertname": "DiskFull", "severity": "critical" },
          "commonAnnotations": {},
          "externalURL": "http://alertmanager:9093",
          "version": "4",
          "groupKey": "{}:{alertname=\"DiskFull\"}",
          "truncatedAlerts": 0
        }
        """;

    internal static WebhookPayload Parse(string json) => JsonSerializer.Deserialize(json, ServeJsonContext.Default.WebhookPayload)!;

    [Fact]
    public void A_firing_group_is_one_summary_line_then_one_line_per_alert_with_time_and_link()
    {
        string text = NotificationFormatter.Format(Parse(AlertmanagerFiring), 4000);

        Assert.Equal(
            "🔥 FIRING [2] DiskFull — severity=critical\n"
            + "• Disk / on web1 is 97% full — since 2026-11-30 22:04:05 UTC — http://prometheus:9090/graph?g0.expr=disk\n"
            + "• Disk /var on web2 is 99% full — since 2026-11-30 22:05:00 UTC — http://prometheus:9090/graph?g0.expr=disk2",
            text);
    }

    [Fact]
    public void A_resolved_group_looks_different_and_gives_the_end_time()
    {
        string json = AlertmanagerFiring.Replace("\"status\": \"firing\"", "\"status\": \"resolved\"")
            .Replace("\"endsAt\": \"0001-01-01T00:00:00Z\"", "\"endsAt\": \"2026-11-30T23:00:00Z\"");

        string text = NotificationFormatter.Format(Parse(json), 4000);

        Assert.StartsWith("✅ RESOLVED [2] DiskFull — severity=critical\n", text);
        Assert.Contains("• Disk / on web1 is 97% full — resolved 2026-11-30 23:00:00 UTC — http", text);
        Assert.DoesNotContain("FIRING", text);
    }

    [Fact]
    public void A_resolved_alert_inside_a_firing_group_is_marked()
    {
        string json = AlertmanagerFiring.Replace(
            "\"status\": \"firing\",\n      \"labels\": { \"alertname\": \"DiskFull\", \"instance\": \"web2:9100\"",
            "\"status\": \"resolved\",\n      \"labels\": { \"alertname\": \"DiskFull\", \"instance\": \"web2:9100\"");
        Assert.NotEqual(AlertmanagerFiring, json);

        string[] lines = NotificationFormatter.Format(Parse(json), 4000).Split('\n');

        Assert.StartsWith("🔥 FIRING [2]", lines[0]);
        Assert.DoesNotContain("[resolved]", lines[1]);
        Assert.StartsWith("• [resolved] Disk /var on web2", lines[2]);
    }

    [Fact]
    public void A_long_group_is_cut_at_the_limit_with_how_many_more()
    {
        var alerts = Enumerable.Range(1, 100).Select(i => new WebhookAlert
        {
            Status = "firing",
            Labels = new() { ["alertname"] = "Load", ["instance"] = $"host{i}" },
            Annotations = new() { ["summary"] = $"load on host{i} is high" },
        }).ToList();
        var payload = new WebhookPayload { Status = "firing", GroupLabels = new() { ["alertname"] = "Load" }, Alerts = alerts, TruncatedAlerts = 7 };

        string text = NotificationFormatter.Format(payload, 300);

        Assert.True(text.Length <= 300, $"{text.Length} characters");
        string[] lines = text.Split('\n');
        Assert.Equal("🔥 FIRING [107] Load", lines[0]);
        int shown = lines.Length - 2;
        Assert.Equal($"… and {100 - shown + 7} more", lines[^1]);
        Assert.Equal("• load on host1 is high", lines[1]);
    }

    [Fact]
    public void Group_labels_and_key_common_labels_make_the_summary()
    {
        var payload = new WebhookPayload
        {
            Status = "firing",
            GroupLabels = new() { ["alertname"] = "Down", ["job"] = "api", ["cluster"] = "eu1" },
            CommonLabels = new() { ["alertname"] = "Down", ["job"] = "api", ["severity"] = "page", ["team"] = "not shown" },
            Alerts = [new WebhookAlert { Status = "firing", Labels = new() { ["alertname"] = "Down", ["pod"] = "api-7" } }],
        };

        string text = NotificationFormatter.Format(payload, 4000);

        Assert.Equal("🔥 FIRING [1] Down — cluster=eu1 job=api severity=page\n• pod=api-7", text);
    }

    [Fact]
    public void Grafana_fields_are_read_and_its_panel_link_and_values_shown()
    {
        const string Grafana = """
            {
              "receiver": "xsend", "status": "firing", "orgId": 1,
              "alerts": [{
                "status": "firing",
                "labels": { "alertname": "High CPU", "grafana_folder": "ops" },
                "annotations": { "summary": "CPU above 90%" },
                "startsAt": "2026-11-30T22:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://grafana/alerting/grafana/x/view",
                "fingerprint": "57c6d9296de2ad39",
                "silenceURL": "http://grafana/alerting/silence/new",
                "dashboardURL": "http://grafana/d/abc",
                "panelURL": "http://grafana/d/abc?viewPanel=1",
                "values": { "B": 93.5, "C": 1 },
                "valueString": "[ var='B' value=93.5 ]"
              }],
              "groupLabels": { "alertname": "High CPU" },
              "commonLabels": { "alertname": "High CPU" },
              "commonAnnotations": {},
              "externalURL": "http://grafana/",
              "version": "1",
              "groupKey": "{}/{}:{alertname=\"High CPU\"}",
              "truncatedAlerts": 0,
              "title": "[FIRING:1] High CPU (ops)",
              "state": "alerting",
              "message": "**Firing**"
            }
            """;
        WebhookPayload payload = Parse(Grafana);

        Assert.Equal("[FIRING:1] High CPU (ops)", payload.Title);
        Assert.Equal("alerting", payload.State);
        Assert.Equal("http://grafana/alerting/silence/new", payload.Alerts![0].SilenceUrl);
        Assert.Equal(
            "🔥 FIRING [1] High CPU\n• CPU above 90% — since 2026-11-30 22:00:00 UTC — B=93.5 C=1 — http://grafana/d/abc?viewPanel=1",
            NotificationFormatter.Format(payload, 4000));
    }

    [Fact]
    public void A_wrong_json_type_is_a_json_error_not_a_crash()
    {
        Assert.Throws<JsonException>(() => Parse("""{"status": "firing", "alerts": {"not": "a list"}}"""));
        Assert.Throws<JsonException>(() => Parse("""{"status": "firing", "alerts": [{"startsAt": "yesterday"}]}"""));
        Assert.Throws<JsonException>(() => Parse("""{"status": "firing", "alerts": [], }"""));
    }
}
