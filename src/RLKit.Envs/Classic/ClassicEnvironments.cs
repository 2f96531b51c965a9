using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Classic;

/// <summary>Registers the Classic environments in a catalog, each with its Gymnasium time limit.</summary>
internal static class ClassicEnvironments
{
    /// <summary>Episode length of the cart-pole ids (CartPole-v1's 500).</summary>
    public const int CartPoleMaxEpisodeSteps = 500;

    /// <summary>Episode length of the pendulum ids (Pendulum-v1's 200).</summary>
    public const int PendulumMaxEpisodeSteps = 200;

    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
        catalog.Register("CartPole-v1",
            "Gymnasium-exact cart-pole: Discrete(2) pushes, +1 per step, 500-step limit.",
            o => new TimeLimit(new CartPole((CartPoleOptions?)o), CartPoleMaxEpisodeSteps),
            typeof(CartPoleOptions));
        catalog.Register("NonStationaryCartPole-v1",
            "Seed 000's non-stationary cart-pole: pole length, pole mass and cart mass resampled every reset; 500-step limit.",
            o => new TimeLimit(new NonStationaryCartPole((NonStationaryCartPoleOptions?)o), CartPoleMaxEpisodeSteps),
            typeof(NonStationaryCartPoleOptions));
        catalog.Register("Pendulum-v1",
            "Gymnasium-exact pendulum swing-up: torque in [-2, 2], 200-step limit.",
            o => new TimeLimit(new Pendulum((PendulumOptions?)o), PendulumMaxEpisodeSteps),
            typeof(PendulumOptions));
        catalog.Register("RestrictedPendulum-v1",
            "Seed 003's restricted pendulum: torques outside a union of hyperspheres apply zero torque; 200-step limit.",
            o => new TimeLimit(new Pendulum(Restricted((PendulumOptions?)o)), PendulumMaxEpisodeSteps),
            typeof(PendulumOptions));
        catalog.Register("CartPoleContinuous-v1",
            "Continuous-force cart-pole balancing (InvertedPendulum-like): force in [-1, 1] x 10 N; 500-step limit.",
            o => new TimeLimit(new CartPoleContinuous((CartPoleContinuousOptions?)o), CartPoleMaxEpisodeSteps),
            typeof(CartPoleContinuousOptions));
        catalog.Register("RestrictedCartPoleContinuous-v1",
            "Seed 003's restricted inverted pendulum on a cart: forces outside a union of hyperspheres become -1; 500-step limit.",
            o => new TimeLimit(new CartPoleContinuous(Restricted((CartPoleContinuousOptions?)o)), CartPoleMaxEpisodeSteps),
            typeof(CartPoleContinuousOptions));
    }

    /// <summary>The restricted id keeps a caller's restriction, and otherwise uses the default one.</summary>
    private static PendulumOptions Restricted(PendulumOptions? options)
    {
        options ??= new PendulumOptions();
        return options.Restriction is null ? options with { Restriction = new ActionRestrictionOptions() } : options;
    }

    private static CartPoleContinuousOptions Restricted(CartPoleContinuousOptions? options)
    {
        options ??= new CartPoleContinuousOptions();
        return options.Restriction is null
            ? options with { Restriction = new ActionRestrictionOptions { InvalidActionEffect = InvalidActionEffect.MinusOne } }
            : options;
    }
}
