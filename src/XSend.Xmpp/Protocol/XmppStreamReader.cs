using System.Net.Sockets;
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
/// Hostile input costs at most linear time in its size, which the <see cref="MeteredStream"/>
/// bounds per element: each element's attributes are counted and collected before the element
/// is made (never added one by one, which is quadratic), nesting is bounded, and the caller's
/// token is checked at every node, so a deadline also stops work on data already buffered.
/// Whatever <see cref="XmlReader"/> throws on bad input surfaces as an <see cref="XmlException"/>.
/// </remarks>
internal sealed class XmppStreamReader
{
    /// <summary>How deep elements may nest.</summary>
    public const int MaxDepth = 64;

    /// <summary>How many attributes (namespace declarations included) one element may carry.</summary>
    public const int MaxAttributes = 64;

    private readonly XmlReader _reader;
    private readonly MeteredStream _stream;
    private readonly List<XAttribute> _attributes = new(MaxAttributes);
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
    public Task<StreamHeader> ReadHeaderAsync(CancellationToken cancellationToken = default) =>
        Guard(() => ReadHeaderCoreAsync(cancellationToken));

    /// <summary>
    /// Reads the next top-level element, or returns <see langword="null"/> when the server
    /// closed the stream with <c>&lt;/stream:stream&gt;</c>.
    /// </summary>
    public Task<XElement?> ReadElementAsync(CancellationToken cancellationToken = default) =>
        Guard(() => ReadElementCoreAsync(cancellationToken));

    private async Task<StreamHeader> ReadHeaderCoreAsync(CancellationToken cancellationToken)
    {
        _stream.StartElement();
        while (await NextAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                case XmlNodeType.Whitespace:
                    continue; // XML 1.0 §2.8: whitespace (Misc) may follow the declaration
                case XmlNodeType.Element:
                    if (_reader.LocalName != "stream" || _reader.NamespaceURI != Namespaces.Streams)
                        throw new XmlException(_reader.LocalName == "stream"
                            ? $"expected <stream:stream> in namespace '{Namespaces.Streams}', got it in '{_reader.NamespaceURI}'"
                            : $"expected <stream:stream>, got <{_reader.Name}>");
                    if (_reader.AttributeCount > MaxAttributes)
                        throw TooManyAttributes();
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

    private async Task<XElement?> ReadElementCoreAsync(CancellationToken cancellationToken)
    {
        if (_ended)
            return null;
        _stream.StartElement();
        while (await NextAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    return await ReadTreeAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task<XElement> ReadTreeAsync(CancellationToken cancellationToken)
    {
        XElement root = StartElement();
        if (_reader.IsEmptyElement)
            return root;

        XElement current = root;
        int depth = 1;
        while (await NextAsync(cancellationToken).ConfigureAwait(false))
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

    /// <summary>
    /// The next node. The reader sees the token only when it reads the network, so it is checked
    /// here too: nodes already buffered (a megabyte of tiny elements) must not outlive a deadline.
    /// </summary>
    private Task<bool> NextAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _reader.ReadAsync();
    }

    private XElement StartElement()
    {
        if (_reader.AttributeCount > MaxAttributes)
            throw TooManyAttributes();
        XName name = XNamespace.Get(_reader.NamespaceURI) + _reader.LocalName;
        if (!_reader.MoveToFirstAttribute())
            return new XElement(name);
        _attributes.Clear();
        do
        {
            if (_reader.Prefix == "xmlns" || (_reader.Prefix.Length == 0 && _reader.LocalName == "xmlns"))
                continue; // namespaces live in the XName
            // The XML reader has already refused duplicate attributes (XML 1.0 §3.1, Namespaces §6.3).
            _attributes.Add(new XAttribute(XNamespace.Get(_reader.NamespaceURI) + _reader.LocalName, _reader.Value));
        }
        while (_reader.MoveToNextAttribute());
        _reader.MoveToElement();
        return new XElement(name, _attributes);
    }

    private static XmlException TooManyAttributes() => new($"an element with more than {MaxAttributes} attributes");

    /// <summary>
    /// Runs a read, turning anything the XML reader throws on bad input (it has been seen to throw
    /// <see cref="ArgumentOutOfRangeException"/> for a non-ASCII byte in the declaration's version,
    /// and decoders throw <see cref="ArgumentException"/>) into an <see cref="XmlException"/>.
    /// Transport failures, cancellation and the size limit pass through unchanged.
    /// </summary>
    private static async Task<T> Guard<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (XmlException or IOException or SocketException or ObjectDisposedException
            or OperationCanceledException or OutOfMemoryException))
        {
            // The reader's own words describe its internals, not the input; -v shows them with the trace.
            throw new XmlException($"the XML parser gave up on it ({ex.GetType().Name})", ex);
        }
    }
}
