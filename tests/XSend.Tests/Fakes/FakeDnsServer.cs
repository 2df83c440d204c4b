using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XSend.Tests.Fakes;

/// <summary>
/// A tiny authoritative DNS server on 127.0.0.1 (UDP) for SRV, A and AAAA questions, so tests
/// serve their own zone and xsend's real DnsClient path runs. Names it does not know get
/// NXDOMAIN. Enough of RFC 1035 for that, nothing more.
/// </summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1, TypeAaaa = 28, TypeSrv = 33;
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Dictionary<string, List<(ushort Type, byte[] Data)>> _zone = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public FakeDnsServer() => _serving = ServeAsync();

    /// <summary>Where to send questions (the Dns:Server setting).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>The questions asked, as "name TYPE".</summary>
    public List<string> Questions { get; } = [];

    /// <summary>Adds an SRV record; a target of "." means "no service here".</summary>
    public FakeDnsServer Srv(string name, ushort priority, ushort weight, ushort port, string target)
    {
        var data = new List<byte>();
        foreach (ushort value in new[] { priority, weight, port })
            data.AddRange([(byte)(value >> 8), (byte)value]);
        data.AddRange(EncodeName(target));
        return Add(name, TypeSrv, [.. data]);
    }

    /// <summary>Adds an A or AAAA record.</summary>
    public FakeDnsServer Address(string name, IPAddress address) =>
        Add(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? TypeAaaa : TypeA, address.GetAddressBytes());

    /// <summary>Answers every question about <paramref name="name"/> with SERVFAIL (RFC 1035 RCODE 2).</summary>
    public FakeDnsServer Fail(string name)
    {
        _failing.Add(name.TrimEnd('.'));
        return this;
    }

    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    private FakeDnsServer Add(string name, ushort type, byte[] data)
    {
        string key = name.TrimEnd('.');
        if (!_zone.TryGetValue(key, out var records))
            _zone[key] = records = [];
        records.Add((type, data));
        return this;
    }

    private async Task ServeAsync()
    {
        for (int i = 0; i < 10_000 && !_stop.IsCancellationRequested; i++)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            byte[]? reply = Answer(request.Buffer);
            if (reply is not null)
                await _udp.SendAsync(reply, request.RemoteEndPoint);
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 17)
            return null;
        int offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            int length = query[offset];
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, length));
            offset += length + 1;
        }
        offset++; // the root label
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        int questionEnd = offset + 4;
        string name = string.Join('.', labels);
        lock (Questions)
            Questions.Add($"{name} {type}");

        bool known = _zone.TryGetValue(name, out var records);
        var answers = known ? records!.Where(r => r.Type == type).ToList() : [];
        var reply = new List<byte>();
        reply.AddRange(query.AsSpan(0, 2).ToArray()); // id
        int flags = 0x8400 | (query[2] & 0x01) << 8 | (_failing.Contains(name) ? 2 : known ? 0 : 3); // QR, AA, RD copied; SERVFAIL, or NXDOMAIN if unknown
        reply.AddRange([(byte)(flags >> 8), (byte)flags, 0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, 0, 0, 0, 0]);
        reply.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var (recordType, data) in answers)
        {
            reply.AddRange([0xC0, 0x0C, (byte)(recordType >> 8), (byte)recordType, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length]);
            reply.AddRange(data);
        }
        return [.. reply];
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }
}
