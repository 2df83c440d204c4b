using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace XSend.Xmpp;

/// <summary>
/// An XMPP address (<c>localpart@domainpart/resourcepart</c>), validated per RFC 7622.
/// </summary>
/// <remarks>
/// Validation covers what matters for a sender: structure, the characters RFC 7622 §3.3.1
/// forbids in the localpart, and the 1023-byte part limits. Full PRECIS enforcement is
/// left to the server, which is the authority on its own addresses.
/// </remarks>
public sealed class Jid : IEquatable<Jid>
{
    // RFC 7622 §3.3.1: these characters are disallowed in a localpart.
    private const string ForbiddenLocalChars = "\"&'/:<>@";
    private const int MaxPartBytes = 1023;

    private Jid(string? local, string domain, string? resource)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
    }

    /// <summary>The localpart (the user name), or <see langword="null"/> for a server JID.</summary>
    public string? Local { get; }

    /// <summary>The domainpart, lower-cased.</summary>
    public string Domain { get; }

    /// <summary>The resourcepart, or <see langword="null"/> for a bare JID.</summary>
    public string? Resource { get; }

    /// <summary>Whether this JID has no resourcepart.</summary>
    public bool IsBare => Resource is null;

    /// <summary>This JID without its resource.</summary>
    public Jid Bare => IsBare ? this : new Jid(Local, Domain, null);

    /// <summary>Returns this JID's bare form with the given resource.</summary>
    public Jid WithResource(string resource)
    {
        string? error = CheckResource(resource);
        if (error is not null)
            throw new FormatException(error);
        return new Jid(Local, Domain, resource);
    }

    /// <summary>Parses a JID, throwing <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static Jid Parse(string text)
    {
        if (TryParse(text, out Jid? jid, out string? error))
            return jid;
        throw new FormatException(error);
    }

    /// <summary>Tries to parse a JID; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Jid? jid, [NotNullWhen(false)] out string? error)
    {
        jid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the address is empty";
            return false;
        }

        // RFC 7622 §3.1: the first '/' separates the resource; the '@' before it the localpart.
        string rest = text;
        string? resource = null;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            resource = rest[(slash + 1)..];
            rest = rest[..slash];
            error = CheckResource(resource);
            if (error is not null)
                return false;
        }

        string? local = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            local = rest[..at];
            rest = rest[(at + 1)..];
            error = CheckLocal(local);
            if (error is not null)
                return false;
        }

        string domain = rest.EndsWith('.') ? rest[..^1] : rest; // RFC 7622 §3.2: strip a trailing dot
        error = CheckDomain(domain);
        if (error is not null)
            return false;

        jid = new Jid(local, domain.ToLowerInvariant(), resource);
        return true;
    }

    private static string? CheckLocal(string local)
    {
        if (local.Length == 0)
            return "the part before '@' is empty";
        if (Encoding.UTF8.GetByteCount(local) > MaxPartBytes)
            return "the part before '@' is longer than 1023 bytes";
        foreach (char c in local)
        {
            if (ForbiddenLocalChars.Contains(c))
                return $"the part before '@' may not contain '{c}'";
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return "the part before '@' may not contain spaces or control characters";
        }
        return null;
    }

    private static string? CheckDomain(string domain)
    {
        if (domain.Length == 0)
            return "the domain is empty";
        if (Encoding.UTF8.GetByteCount(domain) > MaxPartBytes)
            return "the domain is longer than 1023 bytes";
        if (domain.StartsWith('[') && domain.EndsWith(']'))
            return System.Net.IPAddress.TryParse(domain[1..^1], out _) ? null : "the domain is not a valid IPv6 literal";
        foreach (string label in domain.Split('.'))
        {
            if (label.Length == 0)
                return "the domain has an empty label";
            if (label.Length > 63)
                return "a domain label is longer than 63 characters";
            if (label.StartsWith('-') || label.EndsWith('-'))
                return "a domain label may not start or end with '-'";
        }
        foreach (char c in domain)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || "@/\\:<>\"'&,;".Contains(c))
                return $"the domain may not contain '{c}'";
        }
        return null;
    }

    private static string? CheckResource(string resource)
    {
        if (resource.Length == 0)
            return "the resource after '/' is empty";
        if (Encoding.UTF8.GetByteCount(resource) > MaxPartBytes)
            return "the resource is longer than 1023 bytes";
        foreach (char c in resource)
        {
            if (char.IsControl(c))
                return "the resource may not contain control characters";
        }
        return null;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Local is not null)
            sb.Append(Local).Append('@');
        sb.Append(Domain);
        if (Resource is not null)
            sb.Append('/').Append(Resource);
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(Jid? other) =>
        other is not null
        && string.Equals(Local, other.Local, StringComparison.Ordinal)
        && string.Equals(Domain, other.Domain, StringComparison.Ordinal)
        && string.Equals(Resource, other.Resource, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Jid);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Local, Domain, Resource);
}
