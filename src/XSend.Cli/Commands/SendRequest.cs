namespace XSend.Cli.Commands;

/// <summary>What <c>xsend &lt;jid&gt; [&lt;text&gt;...]</c> asked for.</summary>
internal sealed record SendRequest(string Recipient, string[] Words, bool NoOutbox, TimeSpan? ReceiptTimeout, ConnectionRequest Connection);
