package io.storecap.service; final class Placeholder {}
