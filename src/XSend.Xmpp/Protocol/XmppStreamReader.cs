using System.Xml;
using System.Xml.Linq;

namespace XSend.Xmpp.Protocol;

/// <summary>
/// Reads an XMPP stream incrementally: the opening header, then one top-level element at a time.
/// </summary>
/// <remarks>
/// Elements are built node by node rather than with <c>XNode.ReadFrom</c>, which reads one node
/// past the element and so would block on a server that (correctly) sends nothing after
/// <c>&lt;proceed/&gt;</c> or <c>&lt;success/&gt;</c> until the client acts.
/// </remarks>
internal sealed class XmppStreamReader
{
    private const int MaxDepth = 64;

    private readonly XmlReader _reader;
    private readonly MeteredStream _stream;
    private bool _ended;

    public XmppStreamReader(MeteredStream stream)
    {
        _stream = stream;
        _reader = XmlReader.Create(stream, new XmlReaderSettings
        {
            Async = true,
            CloseInput = false,
            // RFC 6120 §11.1: a stream must not contain a DTD; never process one (no entity expansion).
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            MaxCharactersFromEntities = 1024,
        });
    }

    /// <summary>Reads up to and including the server's <c>&lt;stream:stream&gt;</c> start tag.</summary>
    public async Task<StreamHeader> ReadHeaderAsync()
    {
        _stream.StartElement();
        while (await NextAsync().ConfigureAwait(false))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                    continue;
                case XmlNodeType.Element:
                    if (_reader.LocalName != "stream" || _reader.NamespaceURI != Namespaces.Streams)
                        throw new XmlException($"expected <stream:stream>, got <{_reader.Name}>");
                    // RFC 6120 §4.8.2: the content namespace of a client stream is jabber:client.
                    string? defaultNs = _reader.GetAttribute("xmlns");
                    if (defaultNs is not null && defaultNs != Namespaces.Client)
                        throw new XmlException($"unexpected stream content namespace '{defaultNs}'");
                    return new StreamHeader(_reader.GetAttribute("id"), _reader.GetAttribute("from"), _reader.GetAttribute("version"));
                default:
                    throw new XmlException($"unexpected {_reader.NodeType} before the stream header");
            }
        }
        throw new EndOfStreamException("the server closed the connection before opening the stream");
    }

    /// <summary>
    /// Reads the next top-level element, or returns <see langword="null"/> when the server
    /// closed the stream with <c>&lt;/stream:stream&gt;</c>.
    /// </summary>
    public async Task<XElement?> ReadElementAsync()
    {
        if (_ended)
            return null;
        _stream.StartElement();
        while (await NextAsync().ConfigureAwait(false))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    return await ReadTreeAsync().ConfigureAwait(false);
                case XmlNodeType.EndElement:
                    _ended = true; // the closing </stream:stream>
                    return null;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    continue; // RFC 6120 §4.6.1: whitespace keepalives
                default:
                    // RFC 6120 §11.1: comments, processing instructions and text at stream level are not allowed.
                    throw new XmlException($"unexpected {_reader.NodeType} at stream level");
            }
        }
        throw new EndOfStreamException("the server closed the connection without closing the stream");
    }

    private async Task<XElement> ReadTreeAsync()
    {
        XElement root = StartElement();
        if (_reader.IsEmptyElement)
            return root;

        XElement current = root;
        int depth = 1;
        while (await NextAsync().ConfigureAwait(false))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    XElement child = StartElement();
                    current.Add(child);
                    if (!_reader.IsEmptyElement)
                    {
                        if (++depth > MaxDepth)
                            throw new XmlException($"elements nested deeper than {MaxDepth} levels");
                        current = child;
                    }
                    break;
                case XmlNodeType.EndElement:
                    if (current == root)
                        return root;
                    current = current.Parent!;
                    depth--;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(await _reader.GetValueAsync().ConfigureAwait(false)));
                    break;
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                    throw new XmlException($"unexpected {_reader.NodeType} inside a stanza");
            }
        }
        throw new EndOfStreamException("the server closed the connection in the middle of an element");
    }

    // .NET's XmlReader throws ArgumentOutOfRangeException on some malformed input (a non-ASCII
    // byte in the declaration's version, found by fuzzing): whatever it throws on server bytes is
    // malformed XML, which the client reports as a protocol error.
    private async Task<bool> NextAsync()
    {
        try
        {
            return await _reader.ReadAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (XmlException or IOException or OperationCanceledException or ObjectDisposedException))
        {
            throw new XmlException($"the XML reader failed on the input ({ex.GetType().Name})", ex);
        }
    }

    private XElement StartElement()
    {
        var element = new XElement(XNamespace.Get(_reader.NamespaceURI) + _reader.LocalName);
        if (_reader.MoveToFirstAttribute())
        {
            do
            {
                if (_reader.Prefix == "xmlns" || (_reader.Prefix.Length == 0 && _reader.LocalName == "xmlns"))
                    continue; // namespaces live in the XName
                element.SetAttributeValue(XNamespace.Get(_reader.NamespaceURI) + _reader.LocalName, _reader.Value);
            }
            while (_reader.MoveToNextAttribute());
            _reader.MoveToElement();
        }
        return element;
    }
}
