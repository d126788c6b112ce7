"""Technology contracts registered with the technology market (技术合同认定登记)."""
