"""Variable-length sequence utilities: PackedSequence, pack/pad helpers."""
from collections import namedtuple

import numpy as np

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]


def _tg():
    import tritongrad
    return tritongrad


_PackedSequenceBase = namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


class PackedSequence(_PackedSequenceBase):
    """Holds the data and the per-time-step batch sizes of a packed batch of variable-length sequences."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is not None:
            if batch_sizes.device.type != "cpu":
                raise ValueError("batch_sizes should always be on CPU. Instances of PackedSequence should never be "
                                 "created manually. They should be instantiated by functions like pack_sequence and "
                                 "pack_padded_sequences in nn.utils.rnn. "
                                 "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
            return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)
        if not (isinstance(data, (list, tuple)) and len(data) == 2):
            raise ValueError("Expected `data` to be a (data, batch_sizes) pair when batch_sizes is not given")
        return super().__new__(cls, data[0], data[1], sorted_indices, unsorted_indices)

    def _map(self, fn_data):
        return type(self)(fn_data(self.data), self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def pin_memory(self):
        return self

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cuda(self, *args, **kwargs):
        return self._map(lambda d: d.cuda(*args, **kwargs))

    def cpu(self, *args, **kwargs):
        return self._map(lambda d: d.cpu(*args, **kwargs))

    def double(self):
        return self._map(lambda d: d.double())

    def float(self):
        return self._map(lambda d: d.float())

    def half(self):
        return self._map(lambda d: d.half())

    def long(self):
        return self._map(lambda d: d.long())

    def int(self):
        return self._map(lambda d: d.int())

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return False


def invert_permutation(permutation):
    """The inverse of a permutation given as an index tensor (None stays None)."""
    if permutation is None:
        return None
    tg = _tg()
    perm = np.asarray(permutation.tolist(), dtype=np.int64)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size, dtype=np.int64)
    return tg.tensor(inv.tolist(), dtype=tg.int64)


def _lengths_list(lengths):
    tg = _tg()
    if isinstance(lengths, tg.Tensor):
        return [int(v) for v in lengths.reshape(-1).tolist()]
    return [int(v) for v in lengths]


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Packs a padded batch of variable-length sequences (lengths per batch entry)."""
    tg = _tg()
    lens = _lengths_list(lengths)
    if enforce_sorted:
        if any(lens[i] < lens[i + 1] for i in range(len(lens) - 1)):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                               "sidestep this requirement if you do not need ONNX exportability.")
        sorted_indices = None
        order = list(range(len(lens)))
    else:
        # stable descending sort, as PyTorch's
        order = sorted(range(len(lens)), key=lambda i: -lens[i])
        sorted_indices = tg.tensor(order, dtype=tg.int64)
        lens = [lens[i] for i in order]
    if any(v <= 0 for v in lens):
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is "
                           "<= 0")
    seq = input.transpose(0, 1) if batch_first else input
    T, B = seq.shape[0], seq.shape[1]
    if len(lens) != B:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lens)} (batch_size={B})")
    if lens and lens[0] > T:
        raise RuntimeError(f"Expected sequence length to be larger than or equal to the longest sequence, but got "
                           f"{T} and {lens[0]}")
    batch_sizes = [sum(1 for v in lens if v > t) for t in range(lens[0] if lens else 0)]
    flat = [t * B + order[b] for t, bt in enumerate(batch_sizes) for b in range(bt)]
    rest = tuple(seq.shape[2:])
    data = seq.reshape((T * B,) + rest).index_select(0, tg.tensor(flat, dtype=tg.int64))
    return PackedSequence(data, tg.tensor(batch_sizes, dtype=tg.int64), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Inverse of pack_padded_sequence: returns (padded batch, lengths)."""
    tg = _tg()
    data, batch_sizes = sequence.data, [int(b) for b in sequence.batch_sizes.tolist()]
    T = len(batch_sizes)
    B = batch_sizes[0] if batch_sizes else 0
    if total_length is not None:
        if total_length < T:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {T}")
        T = total_length
    n = data.shape[0]
    rest = tuple(data.shape[1:])
    # every padded slot reads either a data row or the extra padding row appended at index n
    src = np.full((T, B), n, dtype=np.int64)
    off = 0
    for t, bt in enumerate(batch_sizes):
        src[t, :bt] = np.arange(off, off + bt)
        off += bt
    pad_row = tg.full((1,) + rest, padding_value, dtype=data.dtype)
    padded = tg.cat([data, pad_row], 0).index_select(0, tg.tensor(src.reshape(-1).tolist(), dtype=tg.int64))
    padded = padded.reshape((T, B) + rest)
    lengths = [sum(1 for bt in batch_sizes if bt > b) for b in range(B)]
    lengths_t = tg.tensor(lengths, dtype=tg.int64)
    if batch_first:
        padded = padded.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths_t = lengths_t[sequence.unsorted_indices]
    return padded, lengths_t


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stacks a list of (L_i, *) tensors into (max L, B, *) (or (B, max L, *)), padding with ``padding_value``."""
    tg = _tg()
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if isinstance(sequences, tg.Tensor):
        sequences = list(sequences.unbind(0))
    sequences = list(sequences)
    max_len = max(s.shape[0] for s in sequences)
    from .. import functional as F
    out = []
    for s in sequences:
        extra = max_len - s.shape[0]
        pads = [0, 0] * (s.dim() - 1) + ([0, extra] if padding_side == "right" else [extra, 0])
        out.append(F.pad(s, pads, value=padding_value) if extra else s)
    return tg.stack(out, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Splits a padded batch back into a list of variable-length tensors."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(n)] for seq, n in zip(padded_sequences, _lengths_list(lengths))]


def pack_sequence(sequences, enforce_sorted=True):
    """Packs a list of variable-length tensors."""
    lengths = [v.size(0) for v in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Unpacks a PackedSequence into a list of variable-length tensors."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
