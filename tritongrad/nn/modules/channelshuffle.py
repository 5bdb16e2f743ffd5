"""ChannelShuffle: torch.nn.modules.channelshuffle."""
from .module import Module
from .. import _functional_spatial as FS

__all__ = ["ChannelShuffle"]


class ChannelShuffle(Module):
    """Divides the channels into groups and interleaves them."""

    def __init__(self, groups):
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return FS.channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
