namespace XSend.Cli.Commands;

/// <summary>Send options that shape the session rather than the messages.</summary>
/// <param name="Subscribe">--subscribe.</param>
/// <param name="RoomNick">--nick.</param>
/// <param name="RoomPassword">--room-password.</param>
internal sealed record DeliveryOptions(bool Subscribe, string? RoomNick, string? RoomPassword);
