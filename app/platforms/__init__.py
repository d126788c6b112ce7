"""Innovation platforms and carriers: research centres, key laboratories, 星创天地, incubators, maker spaces…"""
