using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>The bounds of the training settings, as a checkpoint edited by hand meets them.</summary>
public sealed class TrainingConfigTests
{
    [Fact]
    public void TheReferencesSettingsAndTheEdgesOfTheBoundsAreAccepted()
    {
        var reference = new TrainingConfig();
        var edges = reference with { Epochs = 1, BatchSize = 1, ShiftFraction = 0.5, LamRecon = 0 };

        Assert.Same(reference, reference.Validate());
        Assert.Same(edges, edges.Validate());
    }

    [Fact]
    public void EachSettingOutOfItsBoundsIsNamedWithTheValueFound()
    {
        var config = new TrainingConfig();
        (TrainingConfig Config, string Message)[] cases =
        [
            (config with { Epochs = 0 }, "epochs must be at least 1, got 0."),
            (config with { BatchSize = -5 }, "batch_size must be at least 1, got -5."),
            (config with { Lr = 0 }, "lr must be a number greater than 0, got 0."),
            (config with { LrDecay = -0.9 }, "lr_decay must be a number greater than 0, got -0.9."),
            (config with { LamRecon = -0.392 }, "lam_recon must be 0 or more, got -0.392."),
            (config with { LamRecon = double.NaN }, "lam_recon must be 0 or more, got NaN."),
            (config with { ShiftFraction = 0.51 }, "shift_fraction must be between 0 and 0.5, got 0.51."),
            (config with { ShiftFraction = -0.1 }, "shift_fraction must be between 0 and 0.5, got -0.1."),
        ];

        Assert.All(cases, c => Assert.Equal(c.Message, Assert.Throws<UserInputException>(() => c.Config.Validate()).Message));
    }
}
