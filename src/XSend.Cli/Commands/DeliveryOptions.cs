namespace XSend.Cli.Commands;

/// <summary>Send options that shape the session rather than the messages.</summary>
/// <param name="Subscribe">--subscribe.</param>
/// <param name="RoomNick">--nick.</param>
/// <param name="RoomPassword">The rooms' password: --room-password(-file), Rooms:Password(File) or their environment variables.</param>
internal sealed record DeliveryOptions(bool Subscribe, string? RoomNick, string? RoomPassword);
