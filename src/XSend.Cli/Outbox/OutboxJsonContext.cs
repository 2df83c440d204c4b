using System.Text.Json.Serialization;

namespace XSend.Cli.Outbox;

/// <summary>Source-generated JSON for outbox files: no reflection, so Native AOT stays warning-free.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(OutboxEntry))]
[JsonSerializable(typeof(OutboxBatch))]
[JsonSerializable(typeof(RejectedAlert))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
