using System.Globalization;
using System.Text;

namespace XSend.Serve;

/// <summary>
/// Turns one notification (an alert group) into one message people read: a summary line
/// (FIRING or RESOLVED, the alert name, the count, the key labels), then one line per alert
/// (summary or description, since when, and its link), cut at a size with "… and N more".
/// </summary>
internal static class NotificationFormatter
{
    /// <summary>The labels worth showing in the summary line when they are common to the group, in this order.</summary>
    private static readonly string[] KeyLabels = ["severity", "instance", "job", "service", "namespace", "cluster"];

    /// <summary>The smallest cut accepted: a summary line and one alert line fit.</summary>
    public const int MinimumLength = 200;

    /// <summary>Renders <paramref name="payload"/> in at most <paramref name="maxLength"/> characters.</summary>
    public static string Format(WebhookPayload payload, int maxLength)
    {
        List<WebhookAlert> alerts = payload.Alerts ?? [];
        bool firing = !string.Equals(payload.Status, "resolved", StringComparison.OrdinalIgnoreCase);
        var text = new StringBuilder(SummaryLine(payload, alerts, firing));
        int shown = 0;
        for (; shown < alerts.Count; shown++)
        {
            string line = "\n" + AlertLine(alerts[shown], firing);
            int left = alerts.Count - shown - 1 + payload.TruncatedAlerts;
            // Keep room for the "… and N more" line unless this is the last line.
            int reserve = left > 0 ? MoreLine(left).Length : 0;
            if (text.Length + line.Length + reserve > maxLength)
                break;
            text.Append(line);
        }
        int more = alerts.Count - shown + payload.TruncatedAlerts;
        if (more > 0)
            text.Append(MoreLine(more));
        // A single pathological line (a megabyte summary) is cut too: the limit is the limit.
        return text.Length <= maxLength ? text.ToString() : text.ToString(0, maxLength - 1) + "…";
    }

    private static string MoreLine(int count) => $"\n… and {count} more";

    private static string SummaryLine(WebhookPayload payload, List<WebhookAlert> alerts, bool firing)
    {
        // Visibly different at a glance, also without colour: the symbol and the word.
        string status = firing ? "🔥 FIRING" : "✅ RESOLVED";
        int count = alerts.Count + payload.TruncatedAlerts;
        string name = Label(payload.GroupLabels, "alertname") ?? Label(payload.CommonLabels, "alertname")
            ?? (alerts.Count > 0 ? Label(alerts[0].Labels, "alertname") : null) ?? payload.Title ?? "alert";
        var labels = new List<string>();
        foreach ((string key, string value) in (payload.GroupLabels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (key != "alertname")
                labels.Add($"{key}={value}");
        }
        foreach (string key in KeyLabels)
        {
            if (payload.GroupLabels?.ContainsKey(key) != true && Label(payload.CommonLabels, key) is { } value)
                labels.Add($"{key}={value}");
        }
        string summary = $"{status} [{count}] {name}";
        return labels.Count == 0 ? summary : $"{summary} — {string.Join(' ', labels)}";
    }

    private static string AlertLine(WebhookAlert alert, bool groupFiring)
    {
        bool resolved = string.Equals(alert.Status, "resolved", StringComparison.OrdinalIgnoreCase);
        var line = new StringBuilder("• ");
        if (groupFiring && resolved)
            line.Append("[resolved] ");
        string what = Label(alert.Annotations, "summary") ?? Label(alert.Annotations, "description")
            ?? DescribeLabels(alert.Labels) ?? "(no summary)";
        line.Append(OneLine(what));
        if (resolved && alert.EndsAt is { Year: > 1 } ended)
            line.Append(" — resolved ").Append(Stamp(ended));
        else if (alert.StartsAt is { Year: > 1 } started)
            line.Append(" — since ").Append(Stamp(started));
        if (alert.Values is { Count: > 0 } values)
            line.Append(" — ").Append(string.Join(' ', values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value.GetRawText()}")));
        string? link = alert.PanelUrl.NullIfEmpty() ?? alert.DashboardUrl.NullIfEmpty() ?? alert.GeneratorUrl.NullIfEmpty();
        if (link is not null)
            line.Append(" — ").Append(OneLine(link));
        return line.ToString();
    }

    private static string? DescribeLabels(Dictionary<string, string>? labels) =>
        labels is { Count: > 0 }
            ? string.Join(' ', labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")).NullIfEmpty()
            : null;

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string? Label(Dictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>An annotation may hold line breaks; each alert is one line.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? NullIfEmpty(this string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
