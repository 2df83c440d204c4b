using System.Text.Json.Serialization;

namespace XSend.Serve;

/// <summary>Source-generated JSON for the webhook payloads and the /send body: no reflection, Native AOT clean.</summary>
[JsonSourceGenerationOptions(AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow, MaxDepth = 16,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(SendBody))]
[JsonSerializable(typeof(ServeAnswer))]
internal sealed partial class ServeJsonContext : JsonSerializerContext;
