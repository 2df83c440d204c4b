using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>Service discovery (XEP-0030) over the dispatcher's IQ correlation.</summary>
internal sealed class Disco(StanzaDispatcher dispatcher)
{
    /// <summary>What an entity is and supports.</summary>
    public async Task<DiscoInfo> InfoAsync(string? to, CancellationToken cancellationToken)
    {
        XElement result = await dispatcher.QueryAsync("get", to, ClientXml.Query(Namespaces.DiscoInfo), XmppStep.Discovering, cancellationToken)
            .ConfigureAwait(false);
        XElement? query = result.Element(XName.Get("query", Namespaces.DiscoInfo));
        var identities = query?.Elements(XName.Get("identity", Namespaces.DiscoInfo))
            .Select(i => (i.Attribute("category")?.Value ?? "", i.Attribute("type")?.Value ?? "")).ToList() ?? [];
        var features = query?.Elements(XName.Get("feature", Namespaces.DiscoInfo)).Select(f => f.Attribute("var")?.Value ?? "").ToList() ?? [];
        return new DiscoInfo(identities, features);
    }

    /// <summary>An entity's items (for the domain: the server's components).</summary>
    public async Task<IReadOnlyList<string>> ItemsAsync(string? to, CancellationToken cancellationToken)
    {
        XElement result = await dispatcher.QueryAsync("get", to, ClientXml.Query(Namespaces.DiscoItems), XmppStep.Discovering, cancellationToken)
            .ConfigureAwait(false);
        return result.Element(XName.Get("query", Namespaces.DiscoItems))?.Elements(XName.Get("item", Namespaces.DiscoItems))
            .Select(i => i.Attribute("jid")?.Value).OfType<string>().ToList() ?? [];
    }
}
