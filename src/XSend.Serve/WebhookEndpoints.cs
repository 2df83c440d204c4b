using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using XSend.Xmpp;

namespace XSend.Serve;

/// <summary>
/// The HTTP side of the bridge, as plain request delegates (no reflection, no generated binders):
/// authentication, the body limit, parsing, duplicates, and the answer that tells the sender
/// whether its alert is safe: 200 delivered (acked), 202 queued (fsync'd), 503 with Retry-After otherwise.
/// </summary>
internal sealed class WebhookEndpoints(
    ServeSettings settings, IWebhookDelivery delivery, DuplicateFilter duplicates, ServeMetrics metrics, TextWriter log, TimeProvider time,
    CancellationToken stopping)
{
    private readonly SemaphoreSlim _slots = new(settings.MaxConcurrentWebhooks, settings.MaxConcurrentWebhooks);

    /// <summary>POST /alertmanager and POST /grafana: one message per notification.</summary>
    public Task NotificationAsync(HttpContext context, string endpoint) => HandleAsync(context, endpoint, async body =>
    {
        WebhookPayload? payload;
        try
        {
            payload = await JsonSerializer.DeserializeAsync(body, ServeJsonContext.Default.WebhookPayload, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problem(400, $"malformed JSON: {ex.Message}");
        }
        if (payload is null || payload.Status is null || payload.Alerts is null)
            return Problem(400, "not a webhook notification: 'status' and 'alerts' are required");
        if (payload.Status is not ("firing" or "resolved"))
            return Problem(400, $"unknown status '{payload.Status}': expected firing or resolved");
        string text = NotificationFormatter.Format(payload, settings.MaxMessageLength);
        return await DeliverAsync(DuplicateFilter.KeyOf(endpoint, payload), text, subject: null, payload.Receiver).ConfigureAwait(false);
    });

    /// <summary>POST /send: a text body, or JSON <c>{"text": ..., "subject": ...}</c>, to the configured recipients.</summary>
    public Task SendAsync(HttpContext context) => HandleAsync(context, "/send", async body =>
    {
        string? text;
        string? subject = null;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                SendBody? json = await JsonSerializer.DeserializeAsync(body, ServeJsonContext.Default.SendBody, context.RequestAborted).ConfigureAwait(false);
                (text, subject) = (json?.Text, json?.Subject);
            }
            catch (JsonException ex)
            {
                return Problem(400, $"malformed JSON: {ex.Message}");
            }
        }
        else
        {
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimEnd('\n', '\r');
            }
            catch (DecoderFallbackException)
            {
                return Problem(400, "the body is not valid UTF-8");
            }
        }
        if (string.IsNullOrWhiteSpace(text))
            return Problem(400, "no text: send a text body or JSON {\"text\": \"...\"}");
        string cut = text.Length <= settings.MaxMessageLength ? text : text[..(settings.MaxMessageLength - 1)] + "…";
        return await DeliverAsync(key: null, cut, subject).ConfigureAwait(false);
    });

    private async Task<(int Status, ServeAnswer Answer)> DeliverAsync(string? key, string text, string? subject, string? receiver = null)
    {
        List<OutgoingMessage> messages = Messages(text, subject, receiver);
        if (messages.Count == 0)
            return Problem(422, $"no route for receiver '{receiver}' and no Serve:Recipients or Serve:Rooms");
        WebhookOutcome outcome = await duplicates.RunAsync(key, () => delivery.DeliverAsync(messages, stopping)).ConfigureAwait(false);
        if (outcome.Duplicate)
        {
            metrics.Duplicates.Increment();
            return (200, new ServeAnswer("duplicate"));
        }
        return outcome.Disposition switch
        {
            WebhookDisposition.Delivered => (200, new ServeAnswer("delivered")),
            WebhookDisposition.Queued => (202, new ServeAnswer("queued", outcome.Error)),
            _ => (503, new ServeAnswer("failed", outcome.Error)),
        };
    }

    /// <summary>One message per recipient: the receiver's route (Serve:Routes:NAME) if it has one, else the default recipients and rooms.</summary>
    private List<OutgoingMessage> Messages(string text, string? subject, string? receiver) =>
        receiver is not null && settings.Routes.TryGetValue(receiver, out IReadOnlyList<Jid>? routed)
            ? [.. routed.Select(to => new OutgoingMessage(to, text) { Subject = subject })]
            :
            [
                .. settings.Recipients.Select(to => new OutgoingMessage(to, text) { Subject = subject }),
                .. settings.Rooms.Select(room => new OutgoingMessage(room, text) { Type = MessageType.Groupchat, Subject = subject }),
            ];

    private async Task HandleAsync(HttpContext context, string endpoint, Func<Stream, Task<(int Status, ServeAnswer Answer)>> handle)
    {
        long started = time.GetTimestamp();
        int status;
        ServeAnswer answer;
        if (!settings.Authentication.Allows(context.Request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = settings.Authentication.Challenge;
            (status, answer) = Problem(401, "missing or wrong credentials");
        }
        else if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            (status, answer) = Problem(413, $"the body is over {settings.MaxBodyBytes} bytes");
        }
        else if (!_slots.Wait(0))
        {
            (status, answer) = Problem(503, $"more than {settings.MaxConcurrentWebhooks} webhooks in flight");
        }
        else
        {
            try
            {
                (status, answer) = await handle(context.Request.Body).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                // Kestrel's MaxRequestBodySize, for a chunked body without Content-Length (413), or a broken upload.
                (status, answer) = Problem(ex.StatusCode, ex.StatusCode == 413 ? $"the body is over {settings.MaxBodyBytes} bytes" : ex.Message);
            }
            finally
            {
                _slots.Release();
            }
            if (status is 200 or 202)
                metrics.ObserveLatency(time.GetElapsedTime(started));
        }
        if (status == 503)
            context.Response.Headers.RetryAfter = ((int)settings.Retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        log.WriteLine($"xsend: serve: {context.Request.Method} {endpoint} {status} {answer.Status}"
            + $" in {time.GetElapsedTime(started).TotalMilliseconds:0} ms" + (answer.Error is null ? "" : $": {Xmpp.Protocol.PrintableText.Sanitize(answer.Error)}"));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, ServeJsonContext.Default.ServeAnswer, context.RequestAborted).ConfigureAwait(false);
    }

    private static (int, ServeAnswer) Problem(int status, string error) => (status, new ServeAnswer(status == 401 ? "unauthorized" : "refused", error));
}
