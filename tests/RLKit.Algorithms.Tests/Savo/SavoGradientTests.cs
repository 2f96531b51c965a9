using RLKit.Algorithms.Savo;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>Finite-difference gradient checks of SAVO's modules and objectives.</summary>
[TestFixture]
public class SavoGradientTests
{
    private static readonly Box UnitBox = new([-1f, -1f], [1f, 1f], [2]);

    [TestCase(true)]
    [TestCase(false)]
    public void PreviousActionNetwork(bool conditioned)
    {
        var rng = GradCheck.TestRng();
        var network = new PreviousActionNetwork(5, 3, 2, [6], 2, conditioned ? 4 : 0, Activation.Tanh, rng);
        var s = GradCheck.Input(rng, [3, 3]);
        var input = GradCheck.Input(rng, [3, 5]);
        var previous = GradCheck.Input(rng, [3, 2, 2]);
        // Unconditioned, s and a_<i are not read at all.
        s.RequiresGrad = previous.RequiresGrad = conditioned;
        GradCheck.Check(t => network.Forward(t[0], t[1], t[2]), [input, s, previous, .. network.Parameters()], h: 1e-3);
    }

    [Test]
    public void SuccessiveActorAndSurrogate()
    {
        var rng = GradCheck.TestRng();
        var savo = new SuccessiveActors(ActionDomain.For(UnitBox, "space"), new SuccessiveActors.Settings(3, [6], 3, 4, true), rng);
        var s = GradCheck.Input(rng, [3, 3]);
        var previous = GradCheck.Input(rng, [3, 2, 2]);
        GradCheck.Check(t => savo.Actor(2, t[0], t[1]), [s, previous, .. Member(savo, "actor2.")], h: 1e-3);
        var action = GradCheck.Input(rng, [3, 2]);
        GradCheck.Check(t => savo.Surrogate(2, t[0], t[1], t[2]), [s, action, previous, .. Member(savo, "surrogate2.")], h: 1e-3);
    }

    private static Tensor[] Member(Module module, string prefix) =>
        module.NamedParameters().Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value).ToArray();

    [Test]
    public void EnsembleJointAndWolpertingerActors()
    {
        var rng = GradCheck.TestRng();
        var domain = ActionDomain.For(UnitBox, "space");
        var s = GradCheck.Input(rng, [3, 3]);
        var ensemble = new EnsembleActors(domain, 3, [6], 3, rng);
        GradCheck.Check(t => ensemble.Actions(t[0]), [s, .. ensemble.Parameters()], h: 1e-3);
        var joint = new JointActor(domain, 3, [6], 3, rng);
        GradCheck.Check(t => joint.Actions(t[0]), [s, .. joint.Parameters()], h: 1e-3);
        var wolpertinger = new WolpertingerActor(domain, 3, [6], 3, 0.2f, rng);
        GradCheck.Check(t => wolpertinger.Action(t[0]), [s, .. wolpertinger.Parameters()], h: 1e-3);
    }

    [Test]
    public void PsiAndTheSurrogateFitLoss()
    {
        var rng = GradCheck.TestRng();
        // Q and τ kept apart so the max is differentiable at every element.
        var q = Tensor.FromArray([0.9f, -0.7f, 0.3f, -1.2f], 4);
        q.RequiresGrad = true;
        var threshold = Tensor.FromArray([0.1f, 0.2f, -0.4f, 0.5f], 4);
        threshold.RequiresGrad = true;
        GradCheck.Check(t => SavoObjectives.Psi(t[0], t[1]), [q, threshold]);
        var surrogate = new Linear(2, 1, rng);
        var executed = GradCheck.Input(rng, [4, 2]);
        var proposal = GradCheck.Input(rng, [4, 2]);
        GradCheck.Check(t => SavoObjectives.SurrogateFitLoss(a => surrogate.Forward(a).Reshape(8), t[0], t[1], q.Detach(), q.Detach() * 0.5f, threshold.Detach()),
                        [executed, proposal, .. surrogate.Parameters()]);
    }
}
