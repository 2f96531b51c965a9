namespace RLKit.Algorithms.Dnc;

/// <summary>Which of the QMP paper's two Divide-and-Conquer baselines <see cref="DncEstimator"/> trains.</summary>
public enum DncMode
{
    /// <summary>
    /// DnC (Ghosh et al. 2018): the KL regularisation between task policies, plus distillation of every task policy into a
    /// central policy at <see cref="DncOptions.DistillationCount"/> points of training, after each of which every task
    /// policy restarts from the central one.
    /// </summary>
    Full,

    /// <summary>DnC (regularisation only): the KL term alone, no central policy and no distillation.</summary>
    RegularisationOnly,
}
