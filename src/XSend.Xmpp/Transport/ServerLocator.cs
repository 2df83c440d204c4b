using System.Net;
using DnsClient;
using DnsClient.Protocol;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Transport;

/// <summary>
/// Finds where a domain's XMPP service lives: SRV records for direct TLS
/// (<c>_xmpps-client._tcp</c>, XEP-0368) and STARTTLS (<c>_xmpp-client._tcp</c>, RFC 6120 §3.2.1),
/// merged and ordered by priority, then weighted at random within a priority (RFC 2782). Without
/// records it falls back to the domain itself on port 5222.
/// </summary>
internal sealed class ServerLocator
{
    private readonly LookupClient _dns;
    private readonly Random _random;

    /// <param name="dnsServer">The DNS server to ask; <see langword="null"/> for the system's (resolv.conf).</param>
    /// <param name="random">The source for weighted ordering (a seam for tests).</param>
    public ServerLocator(IPEndPoint? dnsServer, Random? random = null)
    {
        var options = dnsServer is null ? new LookupClientOptions() : new LookupClientOptions(dnsServer);
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        _dns = new LookupClient(options);
        _random = random ?? Random.Shared;
    }

    /// <summary>The endpoints to try, in order, and one line saying where they came from.</summary>
    public async Task<(IReadOnlyList<ServerEndpoint> Endpoints, string Source)> LocateAsync(string domain, CancellationToken cancellationToken)
    {
        Task<SrvAnswer> directTls = QueryAsync($"_xmpps-client._tcp.{domain}.", cancellationToken);
        Task<SrvAnswer> startTls = QueryAsync($"_xmpp-client._tcp.{domain}.", cancellationToken);
        SrvAnswer[] answers = await Task.WhenAll(directTls, startTls).ConfigureAwait(false);

        var records = new List<(SrvRecord Record, bool DirectTls)>();
        records.AddRange(answers[0].Records.Select(r => (r, true)));
        records.AddRange(answers[1].Records.Select(r => (r, false)));
        if (records.Count > 0)
        {
            IReadOnlyList<ServerEndpoint> ordered = Order(records);
            return (ordered, $"SRV: {string.Join(", ", ordered.Select(Describe))}");
        }

        // RFC 6120 §3.2.1 / RFC 2782: a single record with target "." means "decidedly not here".
        if (answers[1].NoService)
        {
            throw new XmppConnectionException(ConnectionFailure.HostNotFound,
                $"{domain} says it offers no XMPP client service (its SRV record's target is \".\")");
        }

        string why = answers.FirstOrDefault(a => a.Error is not null)?.Error is { } error
            ? $"SRV lookup failed ({error.TrimEnd('.')})"
            : "no SRV records";
        return ([new ServerEndpoint(domain, ServerEndpoint.DefaultClientPort)], $"{why}; using {domain}:{ServerEndpoint.DefaultClientPort}");
    }

    /// <summary>A and AAAA lookups through the same DNS server (used when one is configured).</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Task<IDnsQueryResponse> v6 = _dns.QueryAsync(host, QueryType.AAAA, QueryClass.IN, cancellationToken);
        Task<IDnsQueryResponse> v4 = _dns.QueryAsync(host, QueryType.A, QueryClass.IN, cancellationToken);
        try
        {
            await Task.WhenAll(v6, v4).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new XmppConnectionException(ConnectionFailure.Unreachable, $"DNS lookup of '{host}' failed: {ex.Message.TrimEnd('.')}", ex);
        }
        IPAddress[] addresses =
        [
            .. v6.Result.Answers.AaaaRecords().Select(r => r.Address),
            .. v4.Result.Answers.ARecords().Select(r => r.Address),
        ];
        if (addresses.Length == 0)
            throw new XmppConnectionException(ConnectionFailure.HostNotFound, $"host '{host}' not found");
        return addresses;
    }

    private async Task<SrvAnswer> QueryAsync(string name, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, QueryType.SRV, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            // Timeouts and unreachable DNS servers: RFC 6120 §3.2.1 falls back to the domain.
            return new SrvAnswer([], false, ex.Message);
        }
        if (response.HasError)
        {
            return response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain
                ? new SrvAnswer([], false, null)
                : new SrvAnswer([], false, response.ErrorMessage);
        }
        List<SrvRecord> records = response.Answers.SrvRecords().ToList();
        bool noService = records.Count == 1 && records[0].Target.Value is "." or "";
        return new SrvAnswer(noService ? [] : records.Where(r => r.Target.Value is not ("." or "")).ToList(), noService, null);
    }

    /// <summary>RFC 2782: ascending priority; within one, a weighted random draw without replacement.</summary>
    internal IReadOnlyList<ServerEndpoint> Order(List<(SrvRecord Record, bool DirectTls)> records)
    {
        var ordered = new List<ServerEndpoint>(records.Count);
        foreach (var group in records.GroupBy(r => r.Record.Priority).OrderBy(g => g.Key))
        {
            // Zero-weight records first, so they get a (small) chance to be picked first (RFC 2782).
            var remaining = group.OrderBy(r => r.Record.Weight == 0 ? 0 : 1).ToList();
            while (remaining.Count > 0)
            {
                int total = remaining.Sum(r => r.Record.Weight);
                int draw = total == 0 ? 0 : _random.Next(total + 1);
                int running = 0;
                int chosen = remaining.Count - 1;
                for (int i = 0; i < remaining.Count; i++)
                {
                    running += remaining[i].Record.Weight;
                    if (running >= draw)
                    {
                        chosen = i;
                        break;
                    }
                }
                var (record, directTls) = remaining[chosen];
                remaining.RemoveAt(chosen);
                ordered.Add(new ServerEndpoint(record.Target.Value.TrimEnd('.'), record.Port) { DirectTls = directTls });
            }
        }
        return ordered;
    }

    private static string Describe(ServerEndpoint endpoint) => endpoint.DirectTls ? $"{endpoint} (direct TLS)" : endpoint.ToString();

    private sealed record SrvAnswer(IReadOnlyList<SrvRecord> Records, bool NoService, string? Error);
}
