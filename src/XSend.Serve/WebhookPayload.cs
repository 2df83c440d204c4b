using System.Text.Json;
using System.Text.Json.Serialization;

namespace XSend.Serve;

/// <summary>
/// An Alertmanager webhook notification (payload version 4), which Grafana's webhook contact
/// point extends with <see cref="Title"/>, <see cref="State"/>, <see cref="Message"/> and per-alert links and values.
/// One notification is one alert group.
/// </summary>
internal sealed record WebhookPayload
{
    /// <summary>"4" from Alertmanager; Grafana sends "1".</summary>
    [JsonPropertyName("version")] public string? Version { get; init; }

    /// <summary>The group's key; with status and fingerprints it identifies a notification (HA replicas send the same).</summary>
    [JsonPropertyName("groupKey")] public string? GroupKey { get; init; }

    /// <summary>How many alerts Alertmanager left out (max_alerts).</summary>
    [JsonPropertyName("truncatedAlerts")] public int TruncatedAlerts { get; init; }

    /// <summary>"firing" when any alert of the group fires, else "resolved".</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The Alertmanager receiver (route) name.</summary>
    [JsonPropertyName("receiver")] public string? Receiver { get; init; }

    [JsonPropertyName("groupLabels")] public Dictionary<string, string>? GroupLabels { get; init; }

    [JsonPropertyName("commonLabels")] public Dictionary<string, string>? CommonLabels { get; init; }

    [JsonPropertyName("commonAnnotations")] public Dictionary<string, string>? CommonAnnotations { get; init; }

    [JsonPropertyName("externalURL")] public string? ExternalUrl { get; init; }

    [JsonPropertyName("alerts")] public List<WebhookAlert>? Alerts { get; init; }

    /// <summary>Grafana: the notification's title ("[FIRING:1] ...").</summary>
    [JsonPropertyName("title")] public string? Title { get; init; }

    /// <summary>Grafana: "alerting" or "ok".</summary>
    [JsonPropertyName("state")] public string? State { get; init; }

    /// <summary>Grafana: its own rendering of the notification.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>One alert of a notification.</summary>
internal sealed record WebhookAlert
{
    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("startsAt")] public DateTimeOffset? StartsAt { get; init; }

    /// <summary>0001-01-01 for a firing alert.</summary>
    [JsonPropertyName("endsAt")] public DateTimeOffset? EndsAt { get; init; }

    [JsonPropertyName("generatorURL")] public string? GeneratorUrl { get; init; }

    [JsonPropertyName("fingerprint")] public string? Fingerprint { get; init; }

    /// <summary>Grafana: a link that silences this alert.</summary>
    [JsonPropertyName("silenceURL")] public string? SilenceUrl { get; init; }

    [JsonPropertyName("dashboardURL")] public string? DashboardUrl { get; init; }

    [JsonPropertyName("panelURL")] public string? PanelUrl { get; init; }

    /// <summary>Grafana: the values of the rule's expressions (numbers, or null).</summary>
    [JsonPropertyName("values")] public Dictionary<string, JsonElement>? Values { get; init; }
}
