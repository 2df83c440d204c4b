using System.Text.Json.Serialization;

namespace XSend.Serve;

/// <summary>What the bridge answers to a webhook: <c>{"status":"delivered"}</c>, or the reason it could not.</summary>
internal sealed record ServeAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error")] string? Error = null);
