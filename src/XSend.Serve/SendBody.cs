using System.Text.Json.Serialization;

namespace XSend.Serve;

/// <summary>The JSON form of a <c>POST /send</c> body: <c>{"text": "...", "subject": "..."}</c>.</summary>
internal sealed record SendBody
{
    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("subject")] public string? Subject { get; init; }
}
