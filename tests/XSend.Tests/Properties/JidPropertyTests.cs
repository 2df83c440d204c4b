using CsCheck;
using XSend.Xmpp;

namespace XSend.Tests.Properties;

/// <summary>JID parse → format → parse (RFC 7622) as properties over generated addresses.</summary>
public class JidPropertyTests
{
    // Letters, digits, the separators that matter and a few non-ASCII and astral characters.
    private static readonly Gen<string> Part =
        Gen.OneOf(Gen.Char["abcXYZ019-._"], Gen.Char["@/\\:<>'\"& \t."], Gen.Char['\u00C0', '\u024F'], Gen.Char['\u4E00', '\u4E0F'],
                Gen.Const('\u0130'), Gen.Const('\u212A'))
            .Array[0, 12]
            .Select(chars => new string(chars));

    private static readonly Gen<string> Text =
        Gen.Select(Part, Gen.Bool, Part, Gen.Bool, Part)
            .Select((local, hasLocal, domain, hasResource, resource) =>
                (hasLocal ? local + "@" : "") + domain + (hasResource ? "/" + resource : ""));

    [Fact]
    public void Whatever_parses_formats_to_text_that_parses_to_the_same_jid() =>
        Text.Sample(text =>
        {
            if (!Jid.TryParse(text, out Jid? jid, out _))
                return;
            string formatted = jid.ToString();
            Jid again = Jid.Parse(formatted);
            Assert.Equal(jid, again);
            Assert.Equal(formatted, again.ToString());
            Assert.Equal(jid.Bare, Jid.Parse(jid.Bare.ToString()));
        }, iter: 20_000, threads: 1);

    [Fact]
    public void Valid_parts_survive_the_round_trip_unchanged_except_the_domains_case() =>
        Gen.Select(Gen.Char["abcz019-_.+é报"].Array[1, 10], Gen.Char["abcz019"].Array[1, 10], Gen.Char["abcZ019 @/报😀"].Array[1, 10])
            .Sample((local, label, resource) =>
            {
                var text = $"{new string(local).Replace(".", "x")}@{new string(label)}.Example/{new string(resource)}";
                Jid jid = Jid.Parse(text);
                Assert.Equal(new string(local).Replace(".", "x"), jid.Local);
                Assert.Equal($"{new string(label)}.example", jid.Domain);
                Assert.Equal(new string(resource), jid.Resource);
                Assert.Equal(text.Replace(".Example", ".example"), jid.ToString());
            }, iter: 5_000, threads: 1);
}
