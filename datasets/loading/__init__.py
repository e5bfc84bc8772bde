from datasets.loading.sco import load_sco_data

__all__ = ["load_sco_data"]
