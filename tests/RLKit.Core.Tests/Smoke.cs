namespace RLKit.Core.Tests; public class SmokeTests { [Test] public void One() => Assert.That(1, Is.EqualTo(1)); }
