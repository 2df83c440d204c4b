using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>What <c>xsend [options] &lt;jid&gt; [&lt;text&gt;...]</c> asked for, with the recipient/text grammar applied.</summary>
/// <param name="Recipients">The recipients, as typed.</param>
/// <param name="Rooms">--room: chatrooms to post to.</param>
/// <param name="Nick">--nick.</param>
/// <param name="Words">Text words (joined with spaces), when the text came as words.</param>
/// <param name="Message">-m/--message.</param>
/// <param name="File">--file.</param>
/// <param name="LineMode">--line-mode: one message per line.</param>
/// <param name="Type">--type.</param>
/// <param name="Subject">--subject.</param>
/// <param name="Subscribe">--subscribe.</param>
/// <param name="NoOutbox">--no-outbox.</param>
/// <param name="ReceiptTimeout">--wait-receipt.</param>
/// <param name="Connection">The account and connection options.</param>
internal sealed record SendRequest(
    string[] Recipients,
    string[] Rooms,
    string? Nick,
    string[] Words,
    string? Message,
    string? File,
    bool LineMode,
    MessageType Type,
    string? Subject,
    bool Subscribe,
    bool NoOutbox,
    TimeSpan? ReceiptTimeout,
    ConnectionRequest Connection);
