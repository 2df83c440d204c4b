using XSend.Fuzz.Targets;

namespace XSend.Fuzz;

/// <summary>The fuzz targets by name: the corpus folders under corpus/ and the names scripts/fuzz.sh takes.</summary>
public static class FuzzTargets
{
    /// <summary>Every target.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("stream-reader", "bytes a server sends: stream header, then top-level elements", StreamReaderTarget.Run),
        new("client", "a server transcript, turns split by a blank line, played to a whole XmppClient without TLS", ClientTarget.Run),
        new("scram", "a SCRAM server-first-message, a newline, a server-final-message", ScramTarget.Run),
        new("config", "a JSON settings file (--config)", ConfigTarget.Run),
        new("outbox", "one queued-alert file in the outbox", OutboxTarget.Run),
    ];

    /// <summary>The target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"no fuzz target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}", nameof(name));
}
