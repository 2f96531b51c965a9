using RLKit.Envs.Reacher;

namespace RLKit.Envs.Tests.Reacher;

public class PlanarArmTests
{
    private static readonly double Half = Math.PI / 2;

    [TestCase(0, 0, 0, 0.6, 0.0)]
    [TestCase(Math.PI / 2, 0, 0, 0.0, 0.6)]
    [TestCase(0, Math.PI / 2, 0, 0.25, 0.35)]
    [TestCase(0, Math.PI / 2, -Math.PI / 2, 0.4, 0.2)]
    [TestCase(Math.PI / 2, Math.PI / 2, 0, -0.35, 0.25)]
    [TestCase(Math.PI, 0, 0, -0.6, 0.0)]
    public void FingertipMatchesHandComputedValues(double q0, double q1, double q2, double x, double y)
    {
        var tip = PlanarArm.Fingertip(q0, q1, q2);
        Assert.That(tip.X, Is.EqualTo(x).Within(1e-12));
        Assert.That(tip.Y, Is.EqualTo(y).Within(1e-12));
    }

    [Test]
    public void FingertipAtAGeneralPose()
    {
        // q = (30°, 45°, −60°): absolute link angles 30°, 75°, 15°.
        double d = Math.PI / 180;
        var tip = PlanarArm.Fingertip(30 * d, 45 * d, -60 * d);
        double x = 0.25 * Math.Cos(30 * d) + 0.2 * Math.Cos(75 * d) + 0.15 * Math.Cos(15 * d);
        double y = 0.25 * Math.Sin(30 * d) + 0.2 * Math.Sin(75 * d) + 0.15 * Math.Sin(15 * d);
        Assert.That(tip.X, Is.EqualTo(x).Within(1e-12));
        Assert.That(tip.Y, Is.EqualTo(y).Within(1e-12));
        Assert.That(x, Is.EqualTo(0.216506 + 0.051764 + 0.144889).Within(1e-5));
    }

    [Test]
    public void JointPositionsEndAtTheFingertip()
    {
        var joints = PlanarArm.JointPositions(Half, -0.4, 0.9);
        Assert.That(joints, Has.Length.EqualTo(4));
        Assert.That(joints[0], Is.EqualTo((0.0, 0.0)));
        Assert.That(joints[1].X, Is.EqualTo(0).Within(1e-12));
        Assert.That(joints[1].Y, Is.EqualTo(0.25).Within(1e-12));
        var tip = PlanarArm.Fingertip(Half, -0.4, 0.9);
        Assert.That(joints[3].X, Is.EqualTo(tip.X).Within(1e-12));
        Assert.That(joints[3].Y, Is.EqualTo(tip.Y).Within(1e-12));
    }
}
