using System.Net;
using MdiFlow.Plugins.Standard.Http;

namespace MdiFlow.Plugins.Standard.Tests.Http;

public sealed class HttpFailuresTests
{
    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, "http.dns")]
    [InlineData(HttpRequestError.ConnectionError, "http.connect")]
    [InlineData(HttpRequestError.SecureConnectionError, "http.tls")]
    [InlineData(HttpRequestError.ProxyTunnelError, "http.connect")]
    [InlineData(HttpRequestError.ResponseEnded, "http.connect")]
    public void Classifies_each_kind_of_request_error_as_one_a_retry_may_fix(HttpRequestError kind, string code)
    {
        var error = HttpFailures.Classify(new HttpRequestException(kind, "boom"), "https://api.example/", "http://proxy:8080/");

        error.Code.Should().Be(code);
        error.Permanent.Should().BeFalse();
        error.Details.Should().Contain("error", kind.ToString());
        error.Fix.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void A_tunnel_refused_with_407_is_proxy_authentication()
    {
        var exception = new HttpRequestException(HttpRequestError.ProxyTunnelError, "407", statusCode: HttpStatusCode.ProxyAuthenticationRequired);

        HttpFailures.Classify(exception, "https://api.example/", "http://proxy:8080/").Code.Should().Be("http.proxyAuth");
    }

    [Fact]
    public void Names_the_proxy_when_one_is_used()
    {
        var error = HttpFailures.Classify(new HttpRequestException(HttpRequestError.ConnectionError, "refused"), "https://api.example/", "http://proxy:8080/");

        error.Message.Should().Be("The probe of https://api.example/ through the proxy http://proxy:8080/ failed to connect: refused.");
    }
}
