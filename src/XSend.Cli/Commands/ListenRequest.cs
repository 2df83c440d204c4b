namespace XSend.Cli.Commands;

/// <summary>What <c>xsend listen</c> asked for.</summary>
internal sealed record ListenRequest(int? Count, bool Json, ConnectionRequest Connection);
