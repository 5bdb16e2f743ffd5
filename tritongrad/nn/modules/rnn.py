"""Recurrent layers: RNN, LSTM, GRU (multi-layer, bidirectional, packed sequences) and their single-step cells.

The recurrences are composed from core tensor ops (linear, sigmoid, tanh, cat), so the graph shows those ops'
nodes rather than PyTorch's fused RNN nodes; values and gradients are the same.
"""
import math
import numbers
import warnings

from .module import Module
from ..parameter import Parameter
from .. import init
from .. import _functional_seq as FQ

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _tg():
    import tritongrad
    return tritongrad


def _F():
    from .. import functional
    return functional


def _packed_cls():
    from ..utils.rnn import PackedSequence
    return PackedSequence


def _apply_permutation(tensor, permutation, dim=1):
    return tensor.index_select(dim, permutation)


class RNNBase(Module):
    """Base class for RNN, LSTM and GRU: parameters, checks and the layer/direction loop."""

    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool)):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                             "being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        gate_size = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}.get(mode)
        if gate_size is None:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size *= hidden_size
        empty = _tg().empty
        kw = {"dtype": dtype} if dtype is not None else {}
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                real_hidden = proj_size if proj_size > 0 else hidden_size
                layer_input = input_size if layer == 0 else real_hidden * num_directions
                params = [Parameter(empty((gate_size, layer_input), **kw)),
                          Parameter(empty((gate_size, real_hidden), **kw))]
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    params += [Parameter(empty(gate_size, **kw)), Parameter(empty(gate_size, **kw))]
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    params.append(Parameter(empty((proj_size, hidden_size), **kw)))
                    names.append("weight_hr_l{}{}")
                suffix = "_reverse" if direction == 1 else ""
                names = [n.format(layer, suffix) for n in names]
                for name, p in zip(names, params):
                    setattr(self, name, p)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self):
        self._flat_weights = [getattr(self, wn) if hasattr(self, wn) else None for wn in self._flat_weights_names]

    def __setattr__(self, attr, value):
        if hasattr(self, "_flat_weights_names") and attr in self._flat_weights_names:
            self._flat_weights[self._flat_weights_names.index(attr)] = value
        super().__setattr__(attr, value)

    def flatten_parameters(self):
        """No-op on the CPU (cuDNN weight compaction in PyTorch)."""

    def _apply(self, fn, recurse=True):
        ret = super()._apply(fn, recurse)
        self._init_flat_weights()
        return ret

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def all_weights(self):
        return [[getattr(self, w) for w in ws] for ws in self._all_weights]

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # ---------------------------------------------------------------------------------------------- checks
    def check_input(self, input, batch_sizes):
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        h = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, h)

    def check_hidden_size(self, hx, expected, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != tuple(expected):
            raise RuntimeError(msg.format(expected, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    # ----------------------------------------------------------------------------------------- recurrence
    def _layer_params(self, layer, direction):
        names = self._all_weights[layer * (2 if self.bidirectional else 1) + direction]
        ps = {n.split("_l")[0]: getattr(self, n) for n in names}
        return ps["weight_ih"], ps["weight_hh"], ps.get("bias_ih"), ps.get("bias_hh"), ps.get("weight_hr")

    def _step(self, x_proj, state, w_hh, b_hh, w_hr):
        if self.mode == "LSTM":
            h, c = FQ._lstm_step(x_proj, state[0], state[1], w_hh, b_hh)
            return (h.matmul(w_hr.t()) if w_hr is not None else h), c
        if self.mode == "GRU":
            return FQ._gru_step(x_proj, state, w_hh, b_hh)
        if self.mode == "RNN_TANH":
            return FQ.rnn_tanh_cell(None, state, None, w_hh, None, b_hh, x_proj=x_proj)
        return FQ.rnn_relu_cell(None, state, None, w_hh, None, b_hh, x_proj=x_proj)

    def _run_direction(self, x, batch_sizes, state, params, reverse):
        """Runs one layer in one direction over packed data ``x``; returns (packed outputs, final state)."""
        tg = _tg()
        F = _F()
        w_ih, w_hh, b_ih, b_hh, w_hr = params
        x_proj = F.linear(x, w_ih, b_ih)  # the input projection of every step in one product
        # one split node for all steps: its backward concatenates the step gradients once
        x_steps = x_proj.split(list(batch_sizes), 0)
        lstm = self.mode == "LSTM"
        steps = range(len(batch_sizes) - 1, -1, -1) if reverse else range(len(batch_sizes))
        outs = [None] * len(batch_sizes)
        if not reverse:
            h = state
            finished = []  # final states of sequences that ended, last-ended first
            for t in steps:
                bt = batch_sizes[t]
                cur = tuple(s[:bt] for s in h) if lstm else h[:bt]
                new = self._step(x_steps[t], cur, w_hh, b_hh, w_hr)
                outs[t] = new[0] if lstm else new
                nxt = batch_sizes[t + 1] if t + 1 < len(batch_sizes) else 0
                if nxt < bt:
                    finished.append(tuple(s[nxt:] for s in new) if lstm else new[nxt:])
                h = new
            finished.reverse()
            if not finished:  # an empty batch: the state is the (empty) initial one
                final = h
            elif lstm:
                final = tuple(tg.cat([f[i] for f in finished], 0) for i in range(2))
            else:
                final = tg.cat(finished, 0)
        else:
            h = None
            for t in steps:
                bt = batch_sizes[t]
                if h is None:
                    h = tuple(s[:bt] for s in state) if lstm else state[:bt]
                else:
                    have = h[0].shape[0] if lstm else h.shape[0]
                    if have < bt:
                        if lstm:
                            h = tuple(tg.cat([a, s[have:bt]], 0) for a, s in zip(h, state))
                        else:
                            h = tg.cat([h, state[have:bt]], 0)
                h = self._step(x_steps[t], h, w_hh, b_hh, w_hr)
                outs[t] = h[0] if lstm else h
            final = h
        return tg.cat(outs, 0), final

    def _run(self, x, batch_sizes, hx):
        """Packed data ``x`` (sum(batch_sizes), input) -> (packed output, h_n[, c_n])."""
        tg = _tg()
        F = _F()
        nd = 2 if self.bidirectional else 1
        lstm = self.mode == "LSTM"
        h_n, c_n = [], []
        layer_in = x
        for layer in range(self.num_layers):
            dir_outs = []
            for direction in range(nd):
                i = layer * nd + direction
                state = (hx[0][i], hx[1][i]) if lstm else hx[i]
                out, final = self._run_direction(layer_in, batch_sizes, state, self._layer_params(layer, direction),
                                                 direction == 1)
                dir_outs.append(out)
                if lstm:
                    h_n.append(final[0])
                    c_n.append(final[1])
                else:
                    h_n.append(final)
            layer_in = dir_outs[0] if nd == 1 else tg.cat(dir_outs, 1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                layer_in = F.dropout(layer_in, self.dropout, True)
        if lstm:
            return layer_in, (tg.stack(h_n, 0), tg.stack(c_n, 0))
        return layer_in, tg.stack(h_n, 0)

    def _default_hidden(self, input, max_batch, lstm):
        tg = _tg()
        nd = 2 if self.bidirectional else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        h = tg.zeros(self.num_layers * nd, max_batch, real_hidden, dtype=input.dtype)
        if lstm:
            return h, tg.zeros(self.num_layers * nd, max_batch, self.hidden_size, dtype=input.dtype)
        return h

    def forward(self, input, hx=None):
        PackedSequence = _packed_cls()
        lstm = self.mode == "LSTM"
        name = type(self).__name__
        orig_input = input
        batch_sizes = None
        is_batched = True
        if isinstance(orig_input, PackedSequence):
            input, batch_sizes, sorted_indices, unsorted_indices = input
            max_batch = int(batch_sizes[0])
        else:
            sorted_indices = unsorted_indices = None
            if input.dim() not in (2, 3):
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D instead")
            is_batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not is_batched:
                input = input.unsqueeze(batch_dim)
                if hx is not None:
                    if lstm:
                        if hx[0].dim() != 2 or hx[1].dim() != 2:
                            raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                                               f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                        hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
                    else:
                        if hx.dim() != 2:
                            raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D "
                                               "tensor")
                        hx = hx.unsqueeze(1)
            elif hx is not None:
                if lstm:
                    if hx[0].dim() != 3 or hx[1].dim() != 3:
                        raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                           f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                elif hx.dim() != 3:
                    raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
            max_batch = input.size(0) if self.batch_first else input.size(1)
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert "
                             f"input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        if hx is None:
            hx = self._default_hidden(input, max_batch, lstm)
        elif lstm:
            hx = (self.permute_hidden(hx[0], sorted_indices), self.permute_hidden(hx[1], sorted_indices))
        else:
            hx = self.permute_hidden(hx, sorted_indices)
        self.check_input(input, batch_sizes)
        if lstm:
            expected = self.get_expected_hidden_size(input, batch_sizes)
            self.check_hidden_size(hx[0], expected, "Expected hidden[0] size {}, got {}")
            cell_expected = (expected[0], expected[1], self.hidden_size)
            self.check_hidden_size(hx[1], cell_expected, "Expected hidden[1] size {}, got {}")
        else:
            self.check_hidden_size(hx, self.get_expected_hidden_size(input, batch_sizes))
        if batch_sizes is not None:
            sizes = [int(b) for b in batch_sizes.tolist()]
            out, hidden = self._run(input, sizes, hx)
            output = PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices)
            if lstm:
                hidden = (self.permute_hidden(hidden[0], unsorted_indices),
                          self.permute_hidden(hidden[1], unsorted_indices))
            else:
                hidden = self.permute_hidden(hidden, unsorted_indices)
            return output, hidden
        seq = input.transpose(0, 1) if self.batch_first else input
        T, B = seq.shape[0], seq.shape[1]
        out, hidden = self._run(seq.reshape(T * B, seq.shape[2]), [B] * T, hx)
        output = out.reshape(T, B, out.shape[-1])
        if self.batch_first:
            output = output.transpose(0, 1)
        if not is_batched:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1)) if lstm else hidden.squeeze(1)
        return output, hidden


class RNN(RNNBase):
    """Multi-layer Elman RNN with tanh or ReLU non-linearity."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)


class LSTM(RNNBase):
    """Multi-layer long short-term memory RNN (optionally with projections, proj_size > 0)."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        return (self.num_layers * (2 if self.bidirectional else 1), mini_batch, self.hidden_size)


class GRU(RNNBase):
    """Multi-layer gated recurrent unit RNN."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class RNNCellBase(Module):
    """Base of the single-step cells: weight_ih, weight_hh and optional biases."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        empty = _tg().empty
        kw = {"dtype": dtype} if dtype is not None else {}
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **kw))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), **kw))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, input, hx, n_states):
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            for h in (hx if n_states == 2 else (hx,)):
                if h.dim() not in (1, 2):
                    raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {h.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected {self.input_size}")
        if hx is None:
            z = _tg().zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (z, z) if n_states == 2 else z
        elif not is_batched:
            hx = tuple(h.unsqueeze(0) for h in hx) if n_states == 2 else hx.unsqueeze(0)
        for i, h in enumerate(hx if n_states == 2 else (hx,)):
            if input.size(0) != h.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{i} batch size "
                                   f"{h.size(0)}")
            if h.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.size(1)}, expected "
                                   f"{self.hidden_size}")
        return input, hx, is_batched


class RNNCell(RNNCellBase):
    """An Elman RNN cell with tanh or ReLU non-linearity."""

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        input, hx, is_batched = self._prepare(input, hx, 1)
        if self.nonlinearity == "tanh":
            ret = FQ.rnn_tanh_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        elif self.nonlinearity == "relu":
            ret = FQ.rnn_relu_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """A long short-term memory cell; returns (h', c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        input, hx, is_batched = self._prepare(input, hx, 2)
        h, c = FQ.lstm_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        if not is_batched:
            return h.squeeze(0), c.squeeze(0)
        return h, c


class GRUCell(RNNCellBase):
    """A gated recurrent unit cell."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        input, hx, is_batched = self._prepare(input, hx, 1)
        ret = FQ.gru_cell(input, hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
