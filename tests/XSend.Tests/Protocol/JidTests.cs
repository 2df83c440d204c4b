using XSend.Xmpp;

namespace XSend.Tests.Protocol;

public class JidTests
{
    [Theory]
    [InlineData("ops@example.org", "ops", "example.org", null)]
    [InlineData("ops@Example.ORG.", "ops", "example.org", null)]
    [InlineData("ops@example.org/pager/1", "ops", "example.org", "pager/1")]
    [InlineData("example.org", null, "example.org", null)]
    [InlineData("报警@例子.测试", "报警", "例子.测试", null)]
    public void Parses_valid_addresses(string text, string? local, string domain, string? resource)
    {
        Jid jid = Jid.Parse(text);
        Assert.Equal(local, jid.Local);
        Assert.Equal(domain, jid.Domain);
        Assert.Equal(resource, jid.Resource);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("@example.org", "before '@' is empty")]
    [InlineData("a b@example.org", "spaces")]
    [InlineData("a'b@example.org", "'''")]
    [InlineData("ops@", "domain is empty")]
    [InlineData("ops@exa mple.org", "may not contain ' '")]
    [InlineData("ops@example..org", "empty label")]
    [InlineData("ops@example.org/", "resource")]
    public void Rejects_invalid_addresses_with_a_reason(string text, string reason)
    {
        Assert.False(Jid.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Bare_drops_the_resource() => Assert.Equal("a@b.c", Jid.Parse("a@b.c/r").Bare.ToString());
}
