using System.Net.Sockets;

namespace XSend.Xmpp.Transport;

/// <summary>
/// A <see cref="NetworkStream"/> that, on Linux, re-arms <c>TCP_QUICKACK</c> before each read.
/// </summary>
/// <remarks>
/// XMPP is a chain of small request/reply exchanges. When a server writes its reply in two
/// segments (Prosody does after TLS: the stream header, then the features), Nagle's algorithm
/// holds the second until the first is acknowledged, and our delayed ACK waits up to 40 ms.
/// Acknowledging at once removes that stall. The kernel drops quick-ack mode on its own, so
/// it is set again before every read (one cheap setsockopt).
/// </remarks>
internal sealed class QuickAckNetworkStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
{
    private const int TcpQuickAck = 12; // linux/tcp.h
    private static readonly byte[] On = BitConverter.GetBytes(1);
    private bool _unsupported = !OperatingSystem.IsLinux();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArmQuickAck();
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ArmQuickAck();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override int Read(Span<byte> buffer)
    {
        ArmQuickAck();
        return base.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ArmQuickAck();
        return base.Read(buffer, offset, count);
    }

    private void ArmQuickAck()
    {
        if (_unsupported)
            return;
        try
        {
            Socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpQuickAck, On);
        }
        catch (SocketException)
        {
            _unsupported = true; // Not a TCP socket the kernel can tune; reads still work.
        }
        catch (ObjectDisposedException)
        {
            // The read that follows reports the closed stream.
        }
    }
}
