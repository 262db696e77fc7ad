namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>The input of <c>mdi.verifySensor</c>: none; it reads the server it runs on.</summary>
public sealed record VerifySensorInput;
